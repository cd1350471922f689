#!/bin/sh
# SPDX-License-Identifier: MIT
# valgrind.sh - the multi-threaded tests built with -DKREF_VALGRIND (puts
# annotated as libstdc++ annotates shared_ptr) run clean under Helgrind and
# DRD.  make check runs the ones that finish in seconds under valgrind;
# make valgrind (VALGRIND_TESTS="...") runs any, the slow ones included.
. tests/tap.sh
build=build/valgrind
tests=${VALGRIND_TESTS:-"test_final_put test_handoff test_rcuref"}

if ! command -v valgrind >/dev/null; then
	skip "valgrind not installed"
	done_testing
	exit
fi
for t in $tests; do
	for tool in helgrind drd; do
		ok "$tool: $t, no report" \
			valgrind --tool=$tool -q --error-exitcode=9 "$build/tests/$t"
	done
done
done_testing
