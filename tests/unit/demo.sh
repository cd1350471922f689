#!/bin/sh
# SPDX-License-Identifier: MIT
# demo.sh - the demo runs to the end in this build and says what happened;
# built with KREF_DEBUG, it names the lines of the bug.
. tests/common/tap.sh
out=$("$KREF_BUILD/demo" 2>&1)
status=$?
ok "demo exits 0" test "$status" = 0
has() { printf '%s\n' "$out" | grep -q "$1"; }
ok "rules 1 and 2: release after every put" has "release: all 3 workers and main have put"
ok "rule 3: every object released once" has "2000 objects published, 2000 released, each once"
late=$(printf '%s\n' "$out" | sed -n 's/.* lookups: \([0-9]*\) found an object its owner had already put.*/\1/p')
ok "rule 3: lookups raced the final put for every object ($late)" test "${late:-0}" -ge 2000
ok "rule 3: every final put was a reader's" has "a reader's, racing those lookups, for 2000 of 2000 objects"
ok "the bug is reported with the kernel's text" has "^refcount_t: underflow; use-after-free.$"
ok "and nothing is released twice" has "release ran 1 time(s), never twice"

# Built with KREF_DEBUG, the bug's report names the lines.
line() { grep -n "$1" examples/demo.c | cut -d: -f1; }
out=$("$KREF_BUILD/demo-debug" 2>&1)
status=$?
ok "debug demo exits 0" test "$status" = 0
ok "debug: the owner's put is named as a double put" \
	has "^  at examples/demo.c:$(line 'owner: put on 0') in demo_bug()"
ok "debug: with the buggy put as the final one" \
	has "^  its final put was at examples/demo.c:$(line 'worker: put again (bug)') in demo_bug()"
done_testing
