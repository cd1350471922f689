#!/bin/sh
# SPDX-License-Identifier: MIT
# precision.sh - kref-check's precision on real kernel code (issue 18).
#
# A manual measurement, not a test: it cannot run in CI.  The kernel files
# it reads are not in this tree (never copy them in) and getting them needs
# the network.  MANIFEST names each one (where it came from, its path, its
# sha256); LABELS says, for every finding kref-check made on them, whether
# it is true or false and why, in our own words.
#
# Each file is checked alone (a program of its own, as a driver is read by
# someone who has only that file); the findings are matched to LABELS by
# file, line and rule.  Prints one line per finding, then
#
#   findings N  true T  false F  unlabelled U  precision T/(T+F)
#
# and the true findings of LABELS that kref-check no longer makes (what a
# change cost in recall on this set).  A finding not in LABELS is printed
# with "?": label it (true or false, and why) before quoting the figure.
#
# Measured on the 50 files of MANIFEST, each finding labelled by reading its
# code: before issue 18's fixes, 40 findings, 13 true, 27 false (precision
# 0.33); after them and the later rounds, 27 findings, 20 true (0.74).  On
# the 40 files of heldout/MANIFEST, never used to change the patterns: 71
# findings, 8 true (0.11; 69 before mlx5's dm.c was read whole in the
# sixteenth session); with ENGINE=clang, 120 findings, 16 true (0.13),
# 96 and 16 since the fifteenth session's changes, made from it.  On the 43
# of heldout2/MANIFEST, never used: 87 findings, 4 true (0.05); with
# ENGINE=clang, 111 findings, 8 true (0.07).
# Command, from the top of the tree:
#   JOBS=2 [ENGINE=clang] [KERNEL_SET=heldout|heldout2] \
#     tests/kref-check/kernel/precision.sh ~/linux-source-6.1
# or make score-kernel KERNEL=~/linux-source-6.1 (ENGINE and KERNEL_SET
# from the environment)
#
# Usage: tests/kref-check/kernel/precision.sh DIR [KREF_CHECK]
#   DIR         holds the files at the paths MANIFEST gives (DIR/drivers/...)
#   KREF_CHECK  defaults to tools/kref-check/kref-check
#   JOBS        files checked at once (default 2), each under nice
#   ENGINE      cocci (the default: LABELS) or clang (--engine=clang -p DIR:
#               LABELS.clang); clang needs DIR built, with its
#               compile_commands.json (see LABELS.clang)
#   KERNEL_SET  heldout or heldout2: the files of that directory's
#               MANIFEST, judged in its LABELS and LABELS.clang; unset:
#               MANIFEST, LABELS, LABELS.clang
# Exit status: 0 once every file was checked, 2 when a file is missing or
# kref-check failed on one (the figures are a report, not a pass/fail).

here=$(dirname "$0")
dir=${1:?usage: precision.sh DIR [KREF_CHECK]}
tool=${2:-tools/kref-check/kref-check}
jobs=${JOBS:-2}
set=$here/${KERNEL_SET:+$KERNEL_SET/}
case ${ENGINE:-cocci} in
cocci) args= labels=${set}LABELS ;;
clang) args="--engine=clang -p ." labels=${set}LABELS.clang ;;
*) echo "precision.sh: ENGINE=$ENGINE: cocci or clang" >&2; exit 2 ;;
esac
[ -x "$tool" ] || { echo "precision.sh: $tool: not executable" >&2; exit 2; }
tool=$(cd "$(dirname "$tool")" && pwd)/$(basename "$tool")	# run from DIR
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

status=0
grep -v '^#' "${set}MANIFEST" | awk 'NF { print $2 }' >"$tmp/list"
while read -r f; do
	[ -f "$dir/$f" ] || { echo "precision.sh: $dir/$f: missing" >&2; status=2; }
done <"$tmp/list"

export tool tmp dir args
xargs -P "$jobs" -I{} sh -c '
	out="$tmp/$(printf %s "$1" | tr / _)"
	(cd "$dir" && nice "$tool" $args "$1") >"$out.body" 2>"$out.err"
	echo $? >"$out.rc"
' sh {} <"$tmp/list"

while read -r f; do
	out="$tmp/$(printf %s "$f" | tr / _)"
	[ -f "$out.rc" ] || continue
	rc=$(cat "$out.rc")
	if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
		echo "precision.sh: $f: kref-check exit $rc: $(head -c 300 "$out.err")" >&2
		status=2
	fi
	# Paths from the top of DIR; a header's findings keyed by the file
	# checked too (FILE>HEADER), as what they say depends on it.
	awk -v f="$f" -v top="$(cd "$dir" && pwd)/" '{
		if (index($0, top) == 1) $0 = substr($0, length(top) + 1)
		sub(/^\.\//, "")
		p = substr($0, 1, index($0, ":") - 1)
		if (p != f) $0 = f ">" $0
		print
	}' "$out.body"
done <"$tmp/list" >"$tmp/findings"

# LABELS: FILE LINE RULE true|false REASON..., tab-separated.
awk -F '\t' '
FNR == NR {
	if ($0 ~ /^#/ || NF < 4) next
	label[$1 SUBSEP $2 SUBSEP $3] = $4
	why[$1 SUBSEP $2 SUBSEP $3] = $5
	next
}
match($0, /^[^:]+:[0-9]+:[0-9]+: rule [123]: /) {
	split($0, a, ":")
	rule = substr(a[4], 7, 1)
	k = a[1] SUBSEP a[2] SUBSEP rule
	seen[k] = 1
	n++
	v = (k in label) ? label[k] : "?"
	if (v == "true") t++
	else if (v == "false") f++
	else u++
	printf "%-5s %s\n", v, $0
}
END {
	for (k in label)
		if (label[k] == "true" && !(k in seen)) {
			split(k, a, SUBSEP)
			printf "lost  %s:%s: rule %s (true: %s)\n", a[1], a[2], a[3], why[k]
			lost++
		}
	printf "findings %d  true %d  false %d  unlabelled %d  precision %s\n",
	    n, t, f, u, (t + f) ? sprintf("%.2f", t / (t + f)) : "-"
	printf "true findings of LABELS no longer made: %d\n", lost
}' "$labels" "$tmp/findings"
exit $status
