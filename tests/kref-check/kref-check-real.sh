#!/bin/sh
# SPDX-License-Identifier: MIT
# kref-check-real.sh - kref-check on the reconstructions of real bugs
# (tests/kref-check/real/, scored by its score.sh): at least the figures
# recorded in its SOURCES.md, so that a change that loses a real bug, or
# flags a fixed twin, fails here.  The targets (recall 0.5, at most 1 fixed
# twin in 10 flagged) are printed beside what it reaches.
. tests/common/tap.sh
need spatch coccinelle
need python3 python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

JOBS=${KREF_CHECK_JOBS:-$(nproc 2>/dev/null || echo 2)} \
	tests/kref-check/real/score.sh >"$tmp/score" 2>&1
status=$?
grep '^# rule\|^# total' "$tmp/score"
ok "every reconstruction and fixed twin was checked (score.sh exit 0)" \
	test "$status" = 0

# at_least FIELD RULE N: "# RULE: ... FIELD N/..." with at least N.
count() {
	sed -n "s|^# $2: .*$1 \([0-9]*\)/[0-9]*.*|\1|p" "$tmp/score"
}
at_least() {
	n=$(count "$1" "$2")
	[ -n "$n" ] && [ "$n" -ge "$3" ]
}
at_most() {
	n=$(count "$1" "$2")
	[ -n "$n" ] && [ "$n" -le "$3" ]
}
ok "rule 1: at least 7 of 9 bugs found" at_least recall "rule 1" 7
ok "rule 1: at least 7 of 9 found at the bug's own line" at_least "at the mark" "rule 1" 7
ok "rule 2: at least 13 of 13 bugs found" at_least recall "rule 2" 13
ok "rule 3: at least 9 of 10 bugs found" at_least recall "rule 3" 9
ok "rule 3: at least 9 of 10 found at the bug's own line" at_least "at the mark" "rule 3" 9
ok "in all: at least 27 of 32 found at the bug's own line" \
	at_least "at the mark" total 27
ok "in all: at most 0 of 32 fixed twins flagged (target: 1 in 10)" \
	at_most "fixed flagged" total 0
echo "# target: recall 0.5; reached $(count recall total)/32"
done_testing
