# SPDX-License-Identifier: MIT
#
# The test programs, build/MODE/tests/NAME from tests/DIR/NAME.c.  The
# directory is the kind of test, and the kind decides how it is built:
#
#   tests/unit    the API, one subject per program      plain
#   tests/stress  long randomized runs (make stress)    plain
#   tests/fuzz    the model, replayed from its corpus   plain
#   tests/compat  kernel code on the compat headers     -Icompat
#   tests/debug   debug mode (KREF_DEBUG), and variants -DKREF_DEBUG, linked
#                 of other tests built in it            with libkref-debug.a
#
# A variant is a source file, not a rule: tests/debug/test_stress_debug.c
# is "#include "../stress/test_stress.c"", built as its directory says.
# A new test_NAME.c in one of these directories is built and run in every
# mode with nothing else to edit.
#
# What one test needs beyond its kind it says itself, on a line of its
# head comment, " * Build: WORD...", read here.  Each WORD is
#   -FLAG      a compiler or linker flag (-Wl,--wrap=pthread_create)
#   FILE.c     a source compiled into the program (examples/cleanup.c)
#   NAME.o     an object of build/MODE/obj/, built below: percpu_hooks.o
#              (src/percpu.c with its test hooks), mixed_peer.o
#   PACKAGE    a pkg-config package linked in; where it is missing the
#              test is built as a script that skips it, naming it

TEST_DIRS  := unit stress fuzz compat debug
TEST_SRCS  := $(wildcard $(patsubst %,tests/%/test_*.c,$(TEST_DIRS)))
TEST_NAMES := $(notdir $(basename $(TEST_SRCS)))
# test_hook checks the hook build's critical sections: only there.
ifneq ($(MODE),hook)
TEST_NAMES := $(filter-out test_hook,$(TEST_NAMES))
endif
TESTS      := $(patsubst %,$(B)/tests/%,$(TEST_NAMES))

# 64-bit file offsets: a 32-bit test's readdir() fails (EOVERFLOW) on a
# 64-bit host's directory under qemu-user without them.
TEST_CFLAGS := -Itests/common -Iexamples -D_FILE_OFFSET_BITS=64
# Every test is rebuilt when the library or a header it may include
# changes (a variant also when the test it includes does: below).
TEST_DEPS := $(LIBS) $(HEADERS) $(wildcard tests/*/*.h examples/*.h src/*.h)
COMPAT_HEADERS := $(wildcard compat/linux/*.h compat/linux/sched/*.h)

# The Build: lines, read with one grep as NAME@WORD|WORD tokens, into
# BUILD_NAME; the FILE.c and NAME.o they name are the test's prerequisites.
BUILD_LINES := $(shell grep -H '^ \* Build:' $(TEST_SRCS) | \
	sed -e 's|^tests/[^/]*/\([^:]*\)\.c: \* Build: *|\1@|' -e 's/ \{1,\}/|/g')
$(foreach l,$(BUILD_LINES),$(eval \
	BUILD_$(word 1,$(subst @, ,$l)) := $(subst |, ,$(word 2,$(subst @, ,$l)))))
build_srcs = $(filter %.c,$(BUILD_$(1)))
build_objs = $(addprefix $(B)/obj/,$(filter %.o,$(BUILD_$(1))))
build_pkgs = $(filter-out -% %.c %.o,$(BUILD_$(1)))
$(foreach t,$(TEST_NAMES),$(eval \
	$(B)/tests/$t: $(call build_srcs,$t) $(call build_objs,$t)))
# A variant depends on the test it includes ("#include "../DIR/test_X.c"").
VARIANTS := $(shell grep -H '^\#include "\.\./[a-z]*/test_[a-z_]*\.c"' $(TEST_SRCS) | \
	sed 's|^tests/[^/]*/\([^:]*\)\.c:\#include "\.\./\([^"]*\)"|\1@tests/\2|')
$(foreach v,$(VARIANTS),$(eval $(B)/tests/$(subst @,: ,$v)))

# A test's packages: their libraries, or, where pkg-config finds none, a
# script that skips the test, naming what to install.
$(foreach t,$(TEST_NAMES),$(if $(call build_pkgs,$t),$(eval \
	PKG_LIBS_$t := $(shell pkg-config --libs $(call build_pkgs,$t) 2>/dev/null))))
SKIPPED_TESTS := $(foreach t,$(TEST_NAMES),\
	$(if $(call build_pkgs,$t),$(if $(PKG_LIBS_$t),,$(B)/tests/$t)))
NO_PKG = $(if $(filter liburcu%,$(1)),liburcu or pkg-config not installed \
	(liburcu-dev pkgconf),$(1) or pkg-config not installed)
$(SKIPPED_TESTS): $(B)/tests/%:
	@mkdir -p $(@D)
	@printf '\043!/bin/sh\necho "1..0 \043 SKIP %s"\n' \
		"$(call NO_PKG,$(call build_pkgs,$*))" >$@; chmod +x $@

# $(call link_test,KIND'S FLAGS,KIND'S LIBRARIES): the one recipe.  Tests
# link statically and export their symbols, so backtraces name them.
define link_test
@mkdir -p $(@D)
$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) $(1) $(LDFLAGS) -rdynamic -o $@ $< \
	$(call build_srcs,$*) $(call build_objs,$*) $(filter -%,$(BUILD_$*)) \
	$(PKG_LIBS_$*) $(2) $(B)/libkref.a
endef

# One pattern rule per kind; make takes the one whose directory has NAME.c.
$(B)/tests/%: tests/unit/%.c $(TEST_DEPS)
	$(call link_test)
$(B)/tests/%: tests/stress/%.c $(TEST_DEPS)
	$(call link_test)
$(B)/tests/%: tests/fuzz/%.c $(TEST_DEPS)
	$(call link_test)
$(B)/tests/%: tests/compat/%.c $(TEST_DEPS) $(COMPAT_HEADERS)
	$(call link_test,-Icompat)
# With libdw, debug mode's call chains name FILE:LINE: test_debug_stack
# checks that they do.
$(B)/tests/%: tests/debug/%.c $(TEST_DEPS)
	$(call link_test,-DKREF_DEBUG $(if $(DW_LIBS),-DKREF_HAVE_LIBDW),$(DEBUG_LIBS))

# The objects a Build: line can name.  percpu_hooks.o: the tests that hold
# percpu_ref's race windows open link src/percpu.c built with its test
# hooks (src/test_hooks.h) ahead of libkref.a, which has none.
$(B)/obj/percpu_hooks.o: src/percpu.c src/internal.h src/test_hooks.h $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DKREF_TEST_HOOKS -c -o $@ $<
# mixed_peer.o: the half of a debug-mode test built without KREF_DEBUG.
$(B)/obj/mixed_peer.o: tests/debug/mixed_peer.c tests/debug/mixed_peer.h $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -c -o $@ $<

# ---- tests/debug: the debug-mode matrix (tests/debug/matrix.sh, run by
# check-shell; it builds MODE=plain and MODE=asan debug-matrix itself) ----
# One program per layout: the kref's offset, the object's size class.
MATRIX_OFFSETS := 0 4 8 16 last
MATRIX_SIZES   := tcache bins mmap
MATRIX_PROGS   := $(foreach o,$(MATRIX_OFFSETS),$(foreach s,$(MATRIX_SIZES),\
	$(B)/debug/matrix-off$(o)-$(s)))
debug-matrix: $(MATRIX_PROGS)
$(MATRIX_PROGS): $(B)/debug/matrix-off%: tests/debug/matrix.c $(B)/obj/mixed_peer.o \
		$(TEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) $(LDFLAGS) -O1 -g -fno-omit-frame-pointer \
		-DKREF_DEBUG -DMATRIX_OFF=$(patsubst last,-1,$(word 1,$(subst -, ,$*))) \
		-DMATRIX_SIZE_$(word 2,$(subst -, ,$*)) -rdynamic -o $@ $< \
		$(B)/obj/mixed_peer.o $(DEBUG_LIBS) $(B)/libkref.a
# ---- end of tests/debug ----

# examples/demo.c, run by tests/unit/demo.sh.
$(B)/demo: examples/demo.c $(B)/libkref.a $(HEADERS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -rdynamic -o $@ $< $(B)/libkref.a

$(B)/demo-debug: examples/demo.c $(LIBS) $(HEADERS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -DKREF_DEBUG -rdynamic -o $@ $< $(DEBUG_LIBS) $(B)/libkref.a

tests: $(LIBS) $(TESTS) $(B)/demo $(B)/demo-debug

# The test programs of this MODE, for tests/harness/check.
list-tests:
	@echo $(TESTS)

demo: $(B)/demo
	$(B)/demo

demo-debug: $(B)/demo-debug
	$(B)/demo-debug

.PHONY: tests list-tests debug-matrix demo demo-debug
