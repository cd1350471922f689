#!/bin/sh
# SPDX-License-Identifier: MIT
# clang-engine.sh - kref-check --engine=clang: the Clang Static Analyzer
# plugin (tools/kref-check/analyzer/) built, then run on
#   tests/kref-check/clang/: a program per check, rN_*.c with its finding
#     on each line marked "expect: rule N", ok_*.c (the same programs made
#     right) with none;
#   a file that does not compile, beside one with a finding: named, exit 2,
#     the other file's finding still reported;
#   the twenty-two real-bug sets, scored by tests/kref-check/real/score.sh; the
#     assertions pin today's figures (docs/kref-check.md), not the targets.
. tests/common/tap.sh
need clang-14 clang-14
need llvm-config-14 llvm-14-dev
need python3 python3
if [ ! -e "$(llvm-config-14 --includedir)/clang/StaticAnalyzer/Core/Checker.h" ]; then
	echo "1..0 # SKIP the Clang Static Analyzer's headers are not installed (libclang-14-dev)"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
engine=tests/kref-check/clang/engine
jobs=${KREF_CHECK_JOBS:-$(nproc 2>/dev/null || echo 2)}

ok "the analyzer plugin builds (make analyzer-plugin)" make -s analyzer-plugin

# reports FILE: each "expect: rule N" line of FILE has a rule N finding.
reports() {
	"$engine" "$1" >"$tmp/out" 2>"$tmp/err"
	[ $? = 1 ] || { cat "$tmp/err"; return 1; }
	for n in $(grep -n "expect: rule" "$1" | cut -d: -f1); do
		r=$(sed -n "${n}s/.*expect: rule \([123]\).*/\1/p" "$1")
		grep -q "^$1:$n:[0-9]*: rule $r: " "$tmp/out" ||
			{ echo "no rule $r finding at line $n"; cat "$tmp/out"; return 1; }
	done
}
# clean FILE: no finding, exit 0.
clean() {
	"$engine" "$1" >"$tmp/out" 2>&1 && [ ! -s "$tmp/out" ] || { cat "$tmp/out"; return 1; }
}
for f in tests/kref-check/clang/r[123]_*.c; do
	ok "$(basename "$f"): found at each marked line" reports "$f"
done
for f in tests/kref-check/clang/ok_*.c; do
	ok "$(basename "$f"): no finding" clean "$f"
done

# never_silent: a file that does not compile is named, exit 2, and the
# finding in the other file is still reported.
never_silent() {
	printf '#include <no_such_header.h>\nint x;\n' >"$tmp/broken.c"
	"$engine" "$tmp/broken.c" tests/kref-check/clang/r2_double_put.c >"$tmp/out" 2>"$tmp/err"
	status=$?
	[ $status = 2 ] && grep -q "broken.c: kref-check: not checked: does not compile" "$tmp/err" &&
		grep -q "r2_double_put.c:26:[0-9]*: rule 2: " "$tmp/out" ||
		{ echo "exit $status"; cat "$tmp/out" "$tmp/err"; return 1; }
}
ok "a file that does not compile: named, exit 2, the other file's finding kept" never_silent

# with_p: -p passes on the compile command's --include= and -isystem (a
# directory relative to the command's, joined to the flag), gcc 14's
# -std=gnu23 as clang 14's gnu2x, not its gcc-only, dependency or
# sanitizer flags; the file compiles only with the -include, whose file
# is found in the -isystem directory.
mkdir -p "$tmp/p/sys"
sed 's|^#include <kref.h>$|/* kref.h: from -include */|' tests/kref-check/clang/r2_double_put.c \
	>"$tmp/p/dp.c"
echo '#include <kref.h>' >"$tmp/p/sys/pre.h"
printf '[{"directory": "%s", "file": "dp.c", "arguments": ["gcc", "-I%s/include",
  "-isystemsys", "--include=pre.h", "-fconserve-stack", "-Wp,-MMD,dp.d",
  "-fsanitize=address", "-std=gnu23", "-c", "-o", "dp.o", "dp.c"]}]\n' "$tmp/p" "$(pwd)" \
	>"$tmp/p/compile_commands.json"
with_p() {
	tools/kref-check/kref-check --engine=clang -p "$tmp/p" "$tmp/p/dp.c" >"$tmp/out" 2>"$tmp/err"
	status=$?
	[ $status = 1 ] && grep -q "dp.c:26:[0-9]*: rule 2: " "$tmp/out" ||
		{ echo "exit $status"; cat "$tmp/out" "$tmp/err"; return 1; }
	tools/kref-check/kref-check --engine=clang -I include "$tmp/p/dp.c" >"$tmp/out" 2>"$tmp/err"
	status=$?
	[ $status = 2 ] && grep -q "dp.c: kref-check: not checked: does not compile" "$tmp/err" ||
		{ echo "without -p: exit $status"; cat "$tmp/out" "$tmp/err"; return 1; }
}
ok "-p: the compile command's -include and -isystem are passed on, its gcc-only flags are not" with_p

# not_c: a named file without .c is compiled as C, not passed over.
not_c() {
	cp tests/kref-check/clang/r2_double_put.c "$tmp/double_put.inc"
	"$engine" "$tmp/double_put.inc" >"$tmp/out" 2>&1
	[ $? = 1 ] && grep -q "double_put.inc:26:[0-9]*: rule 2: " "$tmp/out" || { cat "$tmp/out"; return 1; }
}
ok "a file named without .c: checked as C" not_c

# no_plugin: a plugin that is not there is said, exit 2.
no_plugin() {
	KREF_CHECK_PLUGIN=$tmp/none.so "$engine" tests/kref-check/clang/r2_double_put.c \
		>"$tmp/out" 2>&1
	[ $? = 2 ] && grep -q "KREF_CHECK_PLUGIN=.*none.so: no such file" "$tmp/out" ||
		{ cat "$tmp/out"; return 1; }
}
ok "a missing plugin: said, exit 2" no_plugin

# The real-bug sets (tests/kref-check/SET/SOURCES.md).
count() {
	sed -n "s|^# $3: .*$2 \([0-9]*\)/[0-9]*.*|\1|p" "$tmp/$1"
}
pin() {
	JOBS=$jobs tests/kref-check/real/score.sh "$engine" tests/kref-check/"$1"/r[123]_*.c \
		>"$tmp/$1" 2>&1
	status=$?
	sed -n "s@^# \(total\)@# clang engine, $1: \1@p" "$tmp/$1"
	ok "$1: every program compiled and checked (score.sh exit 0)" test "$status" = 0
	found=$(count "$1" recall total)
	flagged=$(count "$1" "fixed flagged" total)
	ok "$1: at least $2 bugs found" test "${found:-0}" -ge "$2"
	ok "$1: at most $3 fixed twins flagged" test "${flagged:-99}" -le "$3"
}
pin real 20 1
pin heldout 7 2
pin heldout2 5 0
pin heldout3 10 1
pin heldout4 11 2
pin heldout5 7 2
pin heldout6 11 2
pin heldout7 8 2
pin heldout8 10 0
pin heldout9 11 1
pin heldout10 10 0
pin heldout11 11 0
pin heldout12 12 0
pin heldout13 10 2
pin heldout14 13 0
pin heldout15 10 1
pin heldout16 12 2
pin heldout17 14 2
pin heldout18 8 2
pin heldout19 6 7
pin heldout20 7 2
pin heldout21 8 4
pin heldout22 9 1
pin heldout23 8 3
done_testing
