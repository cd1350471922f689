#!/bin/sh
# SPDX-License-Identifier: MIT
# spin.sh - model-check the percpu_ref kill protocol (tests/model/percpu.pml):
# no early release, at most and exactly one release, no add into a freed
# and reused slot, under all interleavings; and without the membarrier fence, spin must find a bug.
# Then fork() during the kill, holding a lock the kill's confirmation takes:
# it never waits for ever and the child's count is exact; with fork waiting
# for the confirmation (as before issue 19), or the child not dropping the
# switch's kept reference, spin must find the hang or the wrong count.
. tests/common/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# check [SPIN FLAGS]: prints pan's verdict for the model built that way.
check() {
	(cd "$tmp" && spin "$@" -a "$OLDPWD/tests/model/percpu.pml" >/dev/null &&
	 cc -w -O2 -DSAFETY -o pan pan.c && ./pan -m1000000 2>&1)
}
all_explored() {
	out=$(check "$@") && printf '%s\n' "$out" | grep -q 'errors: 0' &&
	! printf '%s\n' "$out" | grep -q 'max search depth too small'
}
finds_bug() {
	check -DNO_FORK -DNO_FENCE | grep -q 'assertion violated'
}
finds_fork_hang() {
	check -DW=1 -DOLD_FORK | grep -q 'invalid end state'
}
finds_child_count() {
	check -DW=1 -DNO_DROP | grep -q 'assertion violated'
}

need spin spin
ok "spin: the switch protocol holds in every interleaving" all_explored -DNO_FORK
ok "spin: without the membarrier fence it finds the early release" finds_bug
ok "spin: fork during a kill never waits for ever; the child's count is exact" \
	all_explored -DW=1
ok "spin: with fork waiting for the confirmation, it finds the hang" finds_fork_hang
ok "spin: with the kept reference not dropped, it finds the child's count" \
	finds_child_count
done_testing
