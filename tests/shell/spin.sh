#!/bin/sh
# SPDX-License-Identifier: MIT
# spin.sh - model-check the percpu_ref kill protocol (tests/shell/percpu.pml):
# no early release, at most and exactly one release, no add into a freed
# and reused slot, under all interleavings; and without the membarrier fence, spin must find a bug.
. tests/harness/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# check [SPIN FLAGS]: prints pan's verdict for the model built that way.
check() {
	(cd "$tmp" && spin "$@" -a "$OLDPWD/tests/shell/percpu.pml" >/dev/null &&
	 cc -w -O2 -DSAFETY -o pan pan.c && ./pan -m1000000 2>&1)
}
all_explored() {
	out=$(check) && printf '%s\n' "$out" | grep -q 'errors: 0' &&
	! printf '%s\n' "$out" | grep -q 'max search depth too small'
}
finds_bug() {
	check -DNO_FENCE | grep -q 'assertion violated'
}

need spin spin
ok "spin: the switch protocol holds in every interleaving" all_explored
ok "spin: without the membarrier fence it finds the early release" finds_bug
done_testing
