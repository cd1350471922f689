# SPDX-License-Identifier: MIT
#
# make check and its modes (tests/harness/check runs one), and the long
# runs outside it: stress and valgrind.

# Each mode appends its counts to build/counts and its skip reasons to
# build/skips; the summary's last line is the total.
CHECK_MODES := plain asan tsan hook clang valgrind shell
check:
	@rm -f build/counts build/skips
	@for m in $(CHECK_MODES); do tests/harness/check $$m; done; \
	tests/harness/summary build/counts build/skips

check-%:
	@rm -f build/counts build/skips
	@tests/harness/check $*; tests/harness/summary build/counts build/skips

# $(call counted,NAME,COMMAND): COMMAND's counts go to build/NAME-counts and
# skips to build/NAME-skips, whose total is printed.
counted = rm -f build/$(1)-counts build/$(1)-skips; \
	KREF_COUNTS=build/$(1)-counts KREF_SKIPS=build/$(1)-skips $(2); \
	tests/harness/summary build/$(1)-counts build/$(1)-skips

# Every optional tool make check, check-cross, check-deb and check-abi use.
deps:
	tests/harness/deps

# Every program in tests/stress, scaled up.
STRESS_TESTS := $(patsubst tests/stress/%.c,%,$(wildcard tests/stress/test_*.c))
stress: $(patsubst %,$(B)/tests/%,$(STRESS_TESTS))
	@for t in $(STRESS_TESTS); do echo "== $$t"; \
		KREF_STRESS_SCALE=$${KREF_STRESS_SCALE:-20} $(B)/tests/$$t || exit 1; \
	done

# Every multi-threaded test under Helgrind and DRD: long (tens of minutes).
valgrind:
	@rm -f build/counts build/skips
	@VALGRIND_TESTS="test_final_put test_handoff test_rcuref test_percpu \
		test_locks test_stress" tests/harness/check valgrind; \
	tests/harness/summary build/counts build/skips

.PHONY: check deps stress valgrind
