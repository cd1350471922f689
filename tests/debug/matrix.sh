#!/bin/sh
# SPDX-License-Identifier: MIT
# matrix.sh - the debug-mode matrix: does -DKREF_DEBUG report each refcount
# bug once, with the user's own lines, in the layouts real programs have,
# and stay silent on the same programs without the bug?
#
# Cells: bug x variant x offset x size x depth x runtime, each one TAP line
# ("double-put off=0 size=tcache depth=2 asan", "double-put twin off=...").
#   bug      double-put; get-after-put; put-mutex (a put after the final
#            put, both through kref_put_mutex); leak (never put)
#   variant  the bug, and its correct twin (the same code without it)
#   offset   of struct kref in the object: 0 4 8 16 last
#   size     tcache (48 bytes), bins (4000: unsorted/large bin), mmap
#            (200 kB, unmapped by free()); tests/debug/matrix.c says why
#   depth    0: the user calls kref_*; 1: helpers that call kref; 2:
#            helpers calling helpers
#   runtime  plain; asan (program and library built with MODE=asan:
#            ASan+UBSan); valgrind (memcheck, valgrind -q
#            --error-exitcode=99 on the plain program)
# 8 x 5 x 3 x 3 x 3 = 1080 cells, and three adversarial cases at depth 0
# on every layout (tests/debug/matrix.c): adv-untracked-reuse and
# adv-errpath-free (correct programs), adv-munmap (a bug) and its twin.
#
# A bug's cell passes if stderr holds exactly one report (a line beginning
# "kref: "; a leak report's closing "kref: N object(s) still referenced"
# is part of it), no "refcount_t:" line, and the report (its headline or
# any line under it) names FILE:LINE (basename) of the user's lines, found
# by their MARK:name comments in matrix.c: the bad call (the user's call at
# depth 0, not the helper's line), and for double-put, get-after-put and
# adv-munmap the final put before it; for a leak the user's line that made
# the object.  It fails if the program died of SIGSEGV or SIGBUS (exit 139,
# 135).  Under ASan and Valgrind their own report may follow debug mode's.
# A twin's cell passes if there is no "kref: " and no "refcount_t:" line
# and the exit status is 0 (under Valgrind: no memcheck error, which would
# exit 99; under ASan: no ASan or UBSan report).
#
# One program per layout and mode (make MODE=plain|asan debug-matrix, which
# links $(DEBUG_LIBS)); the cell is chosen by argv.  Plain cells are one
# process each.  Under ASan and Valgrind each layout's program starts once
# and forks a child per cell (their start-up is most of a cell's cost):
# valgrind -q --error-exitcode=99 --leak-check=no (a leak is no memcheck
# error without --leak-check=full anyway).  Memcheck never hands a freed
# block out again soon, so adv-untracked-reuse, which needs that, does not
# run under it; there adv-errpath-free checks that the object freed on its
# error path is not reported as a leak.  The two reuse cases run under ASan
# without its quarantine, which would also keep the address from coming
# back.
#
# Output of each cell: build/debug-matrix/RUNTIME/LAYOUT/CELL.err; a line
# per cell in build/debug-matrix/results; a summary table at the end.
# MATRIX_RUNTIMES (plain asan valgrind) runs fewer.
. tests/common/tap.sh
src=tests/debug/matrix.c
out=build/debug-matrix
make="${MAKE:-make} -s --no-print-directory"
unset KREF_ABORT
rm -rf "$out"
mkdir -p "$out"
results=$out/results
: >"$results"

BUGS="double-put get-after-put put-mutex leak"
OFFSETS="0 4 8 16 last"
SIZES="tcache bins mmap"
RUNTIMES=${MATRIX_RUNTIMES:-plain asan valgrind}

# mark_NAME=LINE for every /* MARK:NAME */ in matrix.c; each must be unique.
eval "$(awk 'match($0, /\/\* MARK:[a-z_]+ \*\//) {
	name = substr($0, RSTART + 8, RLENGTH - 11)
	if (seen[name]++) { print "echo \"Bail out! MARK:" name " twice\"; exit 1"; exit }
	printf "mark_%s=%d\n", name, NR }' "$src")"
for m in dp_bad dp_final ga_bad ga_final pm_bad lk_new mu_bad mu_final; do
	eval "[ -n \"\${mark_$m:-}\" ]" || { echo "Bail out! no MARK:$m in $src"; exit 1; }
done

# The cells run first, each a line in $out/cells: RUNTIME CASE VARIANT OFF
# SIZE DEPTH STATUS ERRFILE [VGLOG]; then one awk judges them all (a
# process or two per cell, not ten: the matrix has over a thousand).
cells_list=$out/cells
: >"$cells_list"
ran() {
	echo "$*" >>"$cells_list"
}

# skip_all RUNTIME REASON: every cell of RUNTIME skipped.
skip_all() {
	for off in $OFFSETS; do for size in $SIZES; do for cl in $(cells "$1"); do
		c=${cl%%:*} v=${cl#*:} d=${v#*:} v=${v%:*}
		name="$c twin"
		[ "$v" = bug ] && name=$c
		case $c in adv-untracked-reuse|adv-errpath-free) name="$c (correct)" ;; esac
		tap_n=$((tap_n + 1))
		echo "ok $tap_n - $name off=$off size=$size depth=$d $1 # SKIP $2"
	done; done; done
}

# The cells of a layout, as CASE:VARIANT:DEPTH, one a line; those that
# need freed memory handed out again at once match $REUSE.
REUSE='^adv-untracked-reuse:\|^adv-errpath-free:'
cells() {
	for c in $BUGS; do for v in bug twin; do for d in 0 1 2; do
		echo "$c:$v:$d"
	done; done; done
	[ "$1" = valgrind ] || echo adv-untracked-reuse:twin:0
	printf '%s\n' adv-errpath-free:twin:0 adv-munmap:bug:0 adv-munmap:twin:0
}

# ASan: the runtime must link; MODE=asan is ASan and UBSan.
asan_ok() {
	printf 'int main(void) { return 0; }\n' >"$out/asan-runtime.c" &&
	${CC:-cc} -fsanitize=address,undefined -o "$out/asan-runtime" "$out/asan-runtime.c" 2>/dev/null &&
	"$out/asan-runtime"
}

for rt in $RUNTIMES; do
	mode=plain
	case $rt in
	asan)
		if ! asan_ok; then
			skip_all asan "the ASan or UBSan runtime is not installed (libasan8 libubsan1)"
			continue
		fi
		mode=asan ;;
	valgrind)
		if ! command -v valgrind >/dev/null; then
			skip_all valgrind "valgrind not installed (valgrind)"
			continue
		fi ;;
	esac
	if ! $make MODE=$mode debug-matrix >"$out/build-$mode.log" 2>&1; then
		tap_n=$((tap_n + 1)) tap_failed=$((tap_failed + 1))
		echo "not ok $tap_n - the $rt matrix builds (make MODE=$mode debug-matrix)"
		sed 's/^/#   /' "$out/build-$mode.log" | head -n 20
		continue
	fi
	for off in $OFFSETS; do for size in $SIZES; do
		layout=off$off-$size
		bin=build/$mode/debug/matrix-$layout
		dir=$out/$rt/$layout
		mkdir -p "$dir"
		# Valgrind and ASan: one process per layout (and option set),
		# forking a child per cell.
		case $rt in
		valgrind)
			# shellcheck disable=SC2046
			timeout -k 10 600 valgrind -q --error-exitcode=99 --leak-check=no \
				--log-file="$dir/vg.%p" "$bin" --fork "$dir" \
				$(cells valgrind) >/dev/null 2>"$dir/driver.err" ;;
		asan)
			# No LeakSanitizer: it would triple a cell's cost, and the
			# leaks in question are debug mode's report (check-asan runs
			# LSan over the unit tests).
			opts=detect_leaks=0:abort_on_error=0:symbolize=0
			# shellcheck disable=SC2046
			ASAN_OPTIONS=$opts timeout -k 10 600 "$bin" --fork "$dir" \
				$(cells asan | grep -v "$REUSE") >/dev/null 2>"$dir/driver.err"
			# shellcheck disable=SC2046
			ASAN_OPTIONS=$opts:quarantine_size_mb=0:thread_local_quarantine_size_kb=0 \
				timeout -k 10 600 "$bin" --fork "$dir" $(cells asan | grep "$REUSE") \
				>/dev/null 2>>"$dir/driver.err" ;;
		esac
		for cl in $(cells "$rt"); do
			c=${cl%%:*} v=${cl#*:} d=${v#*:} v=${v%:*}
			err=$dir/$c-$v-$d.err
			vg=
			if [ "$rt" = plain ]; then
				timeout -k 5 60 "$bin" "$c" "$v" "$d" >/dev/null 2>"$err"
				st=$?
			elif line=$(grep "^$c-$v-$d " "$dir/index" 2>/dev/null); then
				# shellcheck disable=SC2086
				set -- $line
				st=$3
				[ "$rt" = valgrind ] && vg=$dir/vg.$2
			else
				st=124	# the driver died or timed out
				[ -e "$err" ] || cp "$dir/driver.err" "$err"
			fi
			ran "$rt" "$c" "$v" "$off" "$size" "$d" "$st" "$err" "$vg"
		done
	done; done
done

# shellcheck disable=SC2154 # the mark_* variables are set by eval, above
# Judge each cell (tests/debug/matrix.sh's head says how); one TAP line
# each, "pass|fail RUNTIME CASE KIND OFF SIZE DEPTH REASONS" in $results;
# then the tables: passed/cells per case and runtime, per dimension of the
# bugs' cells; the failures' reasons, most frequent first; and each bug's
# cells, P or F for the tcache, bins and mmap sizes under each offset.
awk -v n0="$tap_n" -v prior="$tap_failed" -v results="$results" \
    -v wants="double-put=bad-put:$mark_dp_bad,final-put:$mark_dp_final \
get-after-put=bad-get:$mark_ga_bad,final-put:$mark_ga_final put-mutex=bad-put:$mark_pm_bad \
leak=new:$mark_lk_new adv-munmap=bad-put:$mark_mu_bad,final-put:$mark_mu_final" '
BEGIN { nw = split(wants, wl, " "); for (i = 1; i <= nw; i++) {
	split(wl[i], kv, "="); want[kv[1]] = kv[2] } }
function judge(kind, status, err, wanted, vg,    n, i, w, p, lab, ln, re, found, line, setup, reports, followups, inrep, r) {
	n = split(wanted, w, ",")
	for (i = 1; i <= n; i++) {
		split(w[i], p, ":"); lab[i] = p[1]; ln[i] = p[2]
		re[i] = "(^|[^A-Za-z0-9_])matrix\\.c:" p[2] "([^0-9]|$)"
	}
	head = ""; heads = 0
	while ((getline line < err) > 0) {
		if (line ~ /^matrix: setup/) setup = line
		if (heads < 6 && line !~ /^    |^ *#[0-9]|^\.\/|^\/|^build\/|^Shadow|^  0x|^$/) {
			head = head "#   | " line "\n"; heads++
		}
		if (line ~ /^kref: [0-9]+ objects? still referenced/) continue
		if (line ~ /^kref: /) { reports++; inrep = 1 }
		if (line ~ /^refcount_t:/) { followups++; inrep = 0 }
		if (line ~ /^==|^=+$|^SUMMARY:|^matrix: |runtime error:|Sanitizer/) inrep = 0
		if (inrep) for (i = 1; i <= n; i++) if (line ~ re[i]) found[i] = 1
	}
	close(err)
	r = ""
	if (setup != "") r = r "; " setup
	if (status == 139 || status == 135) r = r "; crashed (exit " status ")"
	else if (status == 124 || status == 137) r = r "; timed out"
	if (kind == "bug") {
		if (reports != 1) r = r "; " reports + 0 " kref: reports (want 1)"
		if (followups) r = r "; " followups " refcount_t: line(s) too"
		if (reports)
			for (i = 1; i <= n; i++)
				if (!found[i]) r = r "; does not name matrix.c:" ln[i] " (" lab[i] ")"
	} else {
		if (reports) r = r "; " reports " kref: report(s)"
		if (followups) r = r "; " followups " refcount_t: line(s)"
		if (status == 99 && vg != "") r = r "; memcheck error"
		else if (status != 0 && status != 139 && status != 135) r = r "; exit " status
	}
	return substr(r, 3)
}
function cnt(key, pass) { tot[key]++; if (pass) okc[key]++ }
{
	rt = $1; c = $2; v = $3; off = $4; size = $5; d = $6; st = $7; err = $8; vg = $9
	kind = v; name = c (v == "twin" ? " twin" : "")
	if (c ~ /^adv-(untracked-reuse|errpath-free)$/) { kind = "twin"; name = c " (correct)" }
	desc = name " off=" off " size=" size " depth=" d " " rt
	why = judge(kind, st, err, kind == "bug" ? want[c] : "", vg)
	n0++
	if (why == "") {
		print "ok " n0 " - " desc
	} else {
		print "not ok " n0 " - " desc
		print "#   " why
		printf "%s", head
		if (vg != "" && kind == "twin")
			for (i = 0; i < 4 && (getline line < vg) > 0; i++) print "#   vg| " line
		if (vg != "") close(vg)
		failed++
	}
	print (why == "" ? "pass" : "fail"), rt, c, kind, off, size, d, why > results
	what = name
	cnt("by case: " what " " rt, why == "")
	if (kind == "bug" && c !~ /^adv-/) {
		cnt("bugs by offset: off=" off, why == ""); cnt("bugs by size: size=" size, why == "")
		cnt("bugs by depth: depth=" d, why == ""); cnt("bugs by runtime: " rt, why == "")
	}
	grid[rt " " name " depth=" d " off=" off " " size] = why == "" ? "P" : "F"
	if (why != "") {
		nr = split(why, rs, "; ")
		for (i = 1; i <= nr; i++) {
			sub(/matrix\.c:[0-9]+ /, "", rs[i]); reason[what ": " rs[i]]++
		}
	}
}
END {
	close(results)
	for (k in tot) printf "# %-48s %4d/%d passed\n", k, okc[k], tot[k] | "sort"
	close("sort")
	for (k in reason) printf "# %5d  %s\n", reason[k], k | "sort -rn"
	close("sort -rn")
	# P/F per size (tcache, bins, mmap) under each offset.
	nb = split("double-put get-after-put put-mutex leak", b, " ")
	split("0 4 8 16 last", o, " "); split("tcache bins mmap", z, " ")
	printf "# %-31s", "bug, depth, runtime"
	for (j = 1; j <= 5; j++) printf " off=%-4s", o[j]
	print ""
	for (i = 1; i <= nb; i++) for (dd = 0; dd <= 2; dd++)
	for (r = 1; r <= split("plain asan valgrind", rr, " "); r++) {
		line = sprintf("# %-31s", b[i] " depth=" dd " " rr[r]); any = 0
		for (j = 1; j <= 5; j++) {
			cellv = ""
			for (k = 1; k <= 3; k++) {
				key = rr[r] " " b[i] " depth=" dd " off=" o[j] " " z[k]
				cellv = cellv (key in grid ? grid[key] : "-"); any += key in grid
			}
			line = line sprintf(" %-8s", cellv)
		}
		sub(/ +$/, "", line)
		if (any) print line
	}
	print "1.." n0
	exit (failed > 0 || prior > 0)
}' "$cells_list"
