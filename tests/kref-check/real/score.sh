#!/bin/sh
# SPDX-License-Identifier: MIT
# score.sh - kref-check's recall on real bugs (tests/kref-check/real/).
#
# Each rN_NAME.c is a reconstruction of a bug fixed in a real project, of
# rule N; rN_NAME_fixed.c is the same program as fixed.  Every file is
# checked alone (a program of its own).  A buggy file counts as found when
# kref-check reports at least one finding of its rule; a fixed twin counts
# as flagged when kref-check reports anything at all.  Prints one line per
# file, then per rule and in total:
#
#   recall        buggy files found / buggy files
#   at the mark   buggy files with a finding of their rule on a line marked
#                 "expect: rule N" (the bug itself, not something else in
#                 the file) / buggy files
#   fixed flagged fixed twins with any finding / fixed twins
#
# Usage: tests/kref-check/real/score.sh [KREF_CHECK [FILE...]]
#   KREF_CHECK  defaults to tools/kref-check/kref-check
#   FILE...     defaults to every .c file next to this script
#   JOBS        files checked at once (default 2), each run under nice
# Exit status: 0 once everything was checked (the figures are a report, not
# a pass/fail), 2 when kref-check could not be run or failed on a file.

here=$(dirname "$0")
tool=${1:-tools/kref-check/kref-check}
[ $# -gt 0 ] && shift
if [ $# -eq 0 ]; then
	set -- "$here"/r[123]_*.c
fi
jobs=${JOBS:-2}

[ -x "$tool" ] || { echo "score.sh: $tool: not executable" >&2; exit 2; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

# One result file per input: its exit status, then kref-check's output.
for f in "$@"; do printf '%s\n' "$f"; done >"$tmp/list"
export tool tmp
xargs -P "$jobs" -I{} sh -c '
	f="$1"
	out="$tmp/$(basename "$f").out"
	nice "$tool" "$f" >"$out.body" 2>"$out.err"
	echo $? >"$out.rc"
' sh {} <"$tmp/list"

status=0
for f in "$@"; do
	b=$(basename "$f" .c)
	out="$tmp/$b.c.out"
	rc=$(cat "$out.rc")
	case $b in
	r[123]_*) rule=${b#r}; rule=${rule%%_*} ;;
	*) echo "score.sh: $f: not named rN_NAME.c" >&2; status=2; continue ;;
	esac
	case $b in
	*_fixed) kind=fixed ;;
	*) kind=buggy ;;
	esac
	if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
		echo "score.sh: $f: kref-check exit $rc: $(head -c 300 "$out.err")" >&2
		status=2
	fi
	any=$(grep -Ec '^[^:]+:[0-9]+:[0-9]+: rule [123]: ' "$out.body")
	same=$(grep -Ec "^[^:]+:[0-9]+:[0-9]+: rule $rule: " "$out.body")
	marked=0
	for n in $(grep -n "expect: rule $rule" "$f" | cut -d: -f1); do
		grep -Eq "^[^:]+:$n:[0-9]+: rule $rule: " "$out.body" && marked=1
	done
	rules=$(sed -n 's/^[^:]*:[0-9]*:[0-9]*: rule \([123]\): .*/\1/p' "$out.body" | sort -u | tr '\n' ' ')
	if [ $kind = buggy ]; then
		if [ "$marked" -gt 0 ]; then verdict=found
		elif [ "$same" -gt 0 ]; then verdict=elsewhere
		else verdict=missed
		fi
	else
		[ "$any" -gt 0 ] && verdict=flagged || verdict=clean
	fi
	printf '%s %s %s %s %s\n' "$rule" "$kind" "$verdict" "$b" "${rules:--}" >>"$tmp/results"
done

awk '
{
	rule = $1; kind = $2; verdict = $3
	printf "# %-9s %-40s rule %s, findings of rule: %s\n", verdict, $4 ".c", rule, $5
	if (kind == "buggy") {
		nb[rule]++
		if (verdict != "missed") fb[rule]++
		if (verdict == "found") mb[rule]++
	}
	else { nf[rule]++; if (verdict == "flagged") ff[rule]++ }
}
END {
	for (r = 1; r <= 3; r++) {
		printf "# rule %d: recall %d/%d (%.2f), at the mark %d/%d (%.2f), fixed flagged %d/%d (%.2f)\n", r,
		    fb[r], nb[r], nb[r] ? fb[r] / nb[r] : 0, mb[r], nb[r], nb[r] ? mb[r] / nb[r] : 0,
		    ff[r], nf[r], nf[r] ? ff[r] / nf[r] : 0
		tb += nb[r]; tfb += fb[r]; tmb += mb[r]; tf += nf[r]; tff += ff[r]
	}
	printf "# total: recall %d/%d (%.2f), at the mark %d/%d (%.2f), fixed flagged %d/%d (%.2f)\n",
	    tfb, tb, tb ? tfb / tb : 0, tmb, tb, tb ? tmb / tb : 0, tff, tf, tf ? tff / tf : 0
}' "$tmp/results"
exit $status
