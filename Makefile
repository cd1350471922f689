# SPDX-License-Identifier: MIT
#
# make            libkref.a and libkref.so in build/plain/
# make check      every mode below, then "N passed, N failed, N skipped"
# make check-MODE one of them: plain, asan (ASan+UBSan), tsan, hook, clang,
#                 valgrind (Helgrind and DRD), shell (tests/shell)
# make deps       install every optional tool make check uses (Debian, root)
# make check-cross  the C tests built for CROSS_ARCHES, run under qemu-user
# make check-system the C tests in an aarch64 Linux under qemu-system (ARCH)
# make demo       build and run examples/demo.c (demo-debug: with KREF_DEBUG)
# make bench      build and run the benchmark (chart: and draw docs/scaling.svg)
# make stress     the stress tests, scaled up (KREF_STRESS_SCALE, default 20:
#                 a few minutes)
# make valgrind   every multi-threaded test under Helgrind and DRD (long)
# make install    PREFIX (/usr/local), DESTDIR honoured
# make uninstall  remove what make install installed (the same variables)
# make lint       kref-check over examples/ and src/ (needs coccinelle)
# make dist       build/libkref-VERSION.tar.gz, byte-reproducible
# make check-deb  build the .debs from make dist's tarball; lintian them
# make check-abi  abidiff libkref.so against abi/, the last release's ABI
# make abi-baseline  write abi/libkref.so.SOVERSION.abi (at a release)
# make fuzz       the differential fuzzer (tests/fuzz/, clang's libFuzzer),
#                 FUZZ_TIME seconds (60) per build of FUZZ_BUILDS; -j3: at once
#
# MODE selects the build: plain (default), asan, tsan, valgrind (annotated
# for Helgrind and DRD), hook (KREF_ATOMIC_HOOK=1, as on Cortex-M0, with
# tests/harness/critical_hook.c's critical section); each in build/MODE.
# tests/harness/check says what each mode runs.

# A release changes VERSION (and adds debian/changelog's entry for it, which
# tests/shell/version.sh checks): include/kref/version.h follows it.
VERSION    := 0.3.0
SOVERSION  := 2
PREFIX     ?= /usr/local
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
MANDIR     ?= $(PREFIX)/share/man
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share

CFLAGS ?= -O2 -g
MODE   ?= plain
B      := build/$(MODE)

SAN_asan := -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer
# UBSan's signed-overflow check runs in the multi-threaded tests too: gcc
# and clang both link it beside ThreadSanitizer.
SAN_tsan := -fsanitize=thread -fsanitize=signed-integer-overflow \
	    -fno-sanitize-recover=signed-integer-overflow
SAN_valgrind := -DKREF_VALGRIND
SAN_hook := -DKREF_ATOMIC_HOOK=1
# Distributions build with WERROR= so that a newer compiler's new warning
# does not fail their build.
WERROR   ?= -Werror
WARN     := -Wall -Wextra $(WERROR) -Wshadow -Wstrict-prototypes
# Unwind tables let a misuse report's backtrace pass through our frames on
# 32-bit ARM and RISC-V, whose compilers leave them out by default.
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) -funwind-tables $(CPPFLAGS) $(CFLAGS) $(SAN_$(MODE)) -Iinclude -pthread

# 64-bit file offsets: a 32-bit test's readdir() fails (EOVERFLOW) on a
# 64-bit host's directory under qemu-user without them.
TEST_CFLAGS := -Itests/harness -Itests/unit -Iexamples -D_FILE_OFFSET_BITS=64
HEADERS := $(sort include/kref.h include/kref/version.h $(wildcard include/kref/*.h include/kref/arch/*.h))
# Debug mode (src/debug*.c) is libkref-debug.a, linked only into programs
# built with KREF_DEBUG: it brings its own malloc() (src/debug_alloc.c).
DEBUG_SRCS := $(wildcard src/debug*.c)
LIB_OBJS := $(patsubst src/%.c,$(B)/obj/%.o,$(filter-out $(DEBUG_SRCS),$(wildcard src/*.c)))
DEBUG_OBJS := $(patsubst src/%.c,$(B)/obj/%.o,$(DEBUG_SRCS))
# It carries its own copies of report.o, refcount.o and percpu_lock.o
# (whose functions libkref.so keeps hidden), complete, so that a static
# link never pulls libkref.a's as well.
DEBUG_LIB_OBJS := $(DEBUG_OBJS) $(B)/obj/report.o $(B)/obj/refcount.o \
	$(B)/obj/percpu_lock.o
# What a debug-mode program links, before libkref.a.
DEBUG_LIBS = $(B)/libkref-debug.a -ldl $(DW_LIBS)
# The hook build's library carries the critical section a firmware would.
ifeq ($(MODE),hook)
LIB_OBJS += $(B)/obj/critical_hook.o
endif
TESTS   := $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/test_*.c))
TEST_HEADERS := tests/harness/*.h tests/unit/*.h examples/*.h
# test_hook checks the hook build's critical sections: only there.
ifneq ($(MODE),hook)
TESTS := $(filter-out %/test_hook,$(TESTS))
endif
SONAME  := libkref.so.$(SOVERSION)
# The file: named after the soname, which changes only with the ABI.
SOREAL  := $(SONAME).0.0
LIBS    := $(B)/libkref.a $(B)/$(SOREAL) $(B)/libkref-debug.a

all: $(LIBS)

# include/kref/version.h: VERSION for the preprocessor.  Rewritten from it
# when the Makefile changes, and only if its bytes differ (so that another
# edit of the Makefile rebuilds nothing).  It is kept in git, so that
# <kref.h> works from a checkout, or a copied include/, without make.
VERSION_PARTS := $(subst ., ,$(VERSION))
ifneq ($(words $(VERSION_PARTS)),3)
$(error VERSION must be MAJOR.MINOR.PATCH, not "$(VERSION)")
endif
include/kref/version.h: Makefile
	@sed -e 's/^\(#define KREF_VERSION_MAJOR\).*/\1\t$(word 1,$(VERSION_PARTS))/' \
	    -e 's/^\(#define KREF_VERSION_MINOR\).*/\1\t$(word 2,$(VERSION_PARTS))/' \
	    -e 's/^\(#define KREF_VERSION_PATCH\).*/\1\t$(word 3,$(VERSION_PARTS))/' \
	    -e 's/^\(#define KREF_VERSION_STRING\).*/\1\t"$(VERSION)"/' $@ >$@.new
	@if cmp -s $@.new $@; then rm -f $@.new; \
	else mv -f $@.new $@; echo "include/kref/version.h: $(VERSION)"; fi

$(B)/obj/%.o: src/%.c src/internal.h src/debug_internal.h $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(OBJ_CFLAGS_$*) -fPIC -c -o $@ $<
$(DEBUG_OBJS): $(B)/obj/%.o: src/%.c src/internal.h src/debug_internal.h $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(OBJ_CFLAGS_$*) -fPIC -fno-omit-frame-pointer $(NO_SAN) -c -o $@ $<
# The program's malloc() runs before a sanitizer's runtime is initialised:
# like that runtime's own allocator, it is not instrumented.
$(B)/obj/debug_alloc.o: NO_SAN := -fno-sanitize=all
$(B)/obj/critical_hook.o: tests/harness/critical_hook.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -c -o $@ $<

$(B)/libkref.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/libkref-debug.a: $(DEBUG_LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

# Every export carries the version node of the release that added it
# (src/libkref.map); nothing else is exported.
MAP     := src/libkref.map
$(B)/$(SOREAL): $(LIB_OBJS) $(MAP)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(SONAME) \
		-Wl,--version-script=$(MAP) -o $@ $(LIB_OBJS)
	ln -sf $(SOREAL) $(B)/$(SONAME)
	ln -sf $(SONAME) $(B)/libkref.so

# ---- call chains (stack branch): src/debug_stack.[ch], src/debug_symbols.c
# libdw (elfutils) names a chain's frames with FILE:LINE; without it (a cross
# compiler, whose pkg-config finds only the target's libraries), dladdr().
# Whatever links libkref-debug.a needs $(DW_LIBS) (DEBUG_LIBS has it).
DW_LIBS := $(shell pkg-config --libs libdw 2>/dev/null)
ifneq ($(DW_LIBS),)
OBJ_CFLAGS_debug_symbols := -DKREF_HAVE_LIBDW $(shell pkg-config --cflags libdw 2>/dev/null)
endif
$(B)/obj/debug_stack.o $(B)/obj/debug_symbols.o: src/debug_stack.h
# Frame pointers: the test checks the default walk's chains too.
$(B)/tests/test_debug_stack: EXTRA_CFLAGS := -fno-omit-frame-pointer \
	$(if $(DW_LIBS),-DKREF_HAVE_LIBDW)
$(B)/tests/test_debug_stack: EXTRA_LDFLAGS = $(DEBUG_LIBS)
$(B)/tests/test_debug_stack: src/debug_stack.h
$(B)/tests/test_debug_stack_malloc: EXTRA_CFLAGS := -fno-omit-frame-pointer
$(B)/tests/test_debug_stack_malloc: EXTRA_LDFLAGS = $(DEBUG_LIBS)
$(B)/tests/test_debug_stack_malloc: src/debug_stack.h
# ---- end of call chains

# A test that needs what is not installed is built as a script that skips
# it, naming the package: $(call skip_test,REASON).
skip_test = @mkdir -p $(@D); printf '\043!/bin/sh\necho "1..0 \043 SKIP %s"\n' \
	"$(1)" >$@; chmod +x $@

# liburcu is optional: the lock-free table test and the kernel-style test
# (whose rcupdate.h uses liburcu-bp) need it.
URCU_LIBS := $(shell pkg-config --libs liburcu-cds liburcu 2>/dev/null)
URCU_BP_LIBS := $(shell pkg-config --libs liburcu-bp 2>/dev/null)
NO_URCU := liburcu or pkg-config not installed (liburcu-dev pkgconf)
ifeq ($(URCU_LIBS),)
$(B)/tests/test_rcu_table:
	$(call skip_test,$(NO_URCU))
endif
ifeq ($(URCU_BP_LIBS),)
$(B)/tests/test_kernel_style:
	$(call skip_test,$(NO_URCU))
else
# Kernel-style code, unchanged, on the compat headers.
$(B)/tests/test_kernel_style: tests/unit/test_kernel_style.c examples/kernel_style.c \
		compat/linux/*.h $(TEST_HEADERS) $(B)/libkref.a $(HEADERS)
	@mkdir -p $(B)/obj $(@D)
	$(CC) $(ALL_CFLAGS) -Icompat -c -o $(B)/obj/kernel_style.o examples/kernel_style.c
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) $(LDFLAGS) -rdynamic -o $@ $< \
		$(B)/obj/kernel_style.o $(B)/libkref.a $(URCU_BP_LIBS)
endif
$(B)/tests/test_rcu_table: EXTRA_LDFLAGS := $(URCU_LIBS)
# examples/cleanup.c's two versions of one function, side by side.
$(B)/tests/test_cleanup_example: tests/unit/test_cleanup_example.c examples/cleanup.c \
		$(TEST_HEADERS) $(B)/libkref.a $(HEADERS)
	@mkdir -p $(B)/obj $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $(B)/obj/cleanup_example.o examples/cleanup.c
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) $(LDFLAGS) -rdynamic -o $@ $< \
		$(B)/obj/cleanup_example.o $(B)/libkref.a
# Kernel-style tests on the compat headers: the kref article's code
# (test_kernel_seed), the compat names (test_compat), kref.rst's patterns
# (test_kref_rst, which needs liburcu-bp for RCU).
COMPAT_HEADERS := compat/linux/*.h compat/linux/sched/*.h
$(B)/tests/test_kernel_seed $(B)/tests/test_compat: $(COMPAT_HEADERS)
$(B)/tests/test_kernel_seed $(B)/tests/test_compat: EXTRA_CFLAGS := -Icompat
$(B)/tests/test_kernel_seed: EXTRA_LDFLAGS := -Wl,--wrap=pthread_create
ifeq ($(URCU_BP_LIBS),)
$(B)/tests/test_kref_rst:
	$(call skip_test,$(NO_URCU))
else
$(B)/tests/test_kref_rst: $(COMPAT_HEADERS)
$(B)/tests/test_kref_rst: EXTRA_CFLAGS := -Icompat
$(B)/tests/test_kref_rst: EXTRA_LDFLAGS := -Wl,--wrap=pthread_create $(URCU_BP_LIBS)
endif

# Tests link statically and export their symbols, so backtraces name them.
# test_debug* build with -DKREF_DEBUG; test_stress_debug is test_stress so.
TESTS   += $(B)/tests/test_stress_debug
$(B)/tests/test_handoff: EXTRA_LDFLAGS := -Wl,--wrap=pthread_create
$(B)/tests/test_debug: EXTRA_CFLAGS := -DKREF_DEBUG
$(B)/tests/test_debug_%: EXTRA_CFLAGS := -DKREF_DEBUG
$(B)/tests/test_debug: EXTRA_LDFLAGS = $(DEBUG_LIBS)
$(B)/tests/test_debug_%: EXTRA_LDFLAGS = $(DEBUG_LIBS)
$(B)/tests/test_debug_fork: EXTRA_LDFLAGS = -Wl,--wrap=pthread_mutex_lock $(DEBUG_LIBS)
$(B)/tests/test_debug_fork_callbacks: EXTRA_LDFLAGS = -Wl,--wrap=kref_report_write $(DEBUG_LIBS)
$(B)/tests/test_stress_debug: EXTRA_CFLAGS := -DKREF_DEBUG
# mixed_peer.c is built without KREF_DEBUG.
$(B)/obj/mixed_peer.o: tests/unit/mixed_peer.c $(TEST_HEADERS) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -c -o $@ $<
$(B)/tests/test_debug_mixed $(B)/tests/test_debug_reuse $(B)/tests/test_debug_heap: \
		$(B)/tests/%: tests/unit/%.c $(B)/obj/mixed_peer.o $(TEST_HEADERS) $(LIBS) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) $(LDFLAGS) -DKREF_DEBUG -rdynamic -o $@ $< $(B)/obj/mixed_peer.o $(DEBUG_LIBS) $(B)/libkref.a
# test_cleanup_debug is test_cleanup built with -DKREF_DEBUG.
TESTS   += $(B)/tests/test_cleanup_debug
$(B)/tests/test_cleanup_debug: tests/unit/test_cleanup.c $(TEST_HEADERS) $(LIBS) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) $(LDFLAGS) -DKREF_DEBUG -rdynamic -o $@ $< $(DEBUG_LIBS) $(B)/libkref.a
$(B)/tests/test_stress_debug: tests/unit/test_stress.c $(TEST_HEADERS) $(LIBS) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) $(LDFLAGS) $(EXTRA_CFLAGS) -rdynamic -o $@ $< $(DEBUG_LIBS) $(B)/libkref.a
# Tests that hold percpu_ref's race windows open link src/percpu.c built
# with its test hooks (src/test_hooks.h) ahead of libkref.a, which has none.
HOOKED_TESTS := $(patsubst %,$(B)/tests/%,test_percpu_window test_percpu_fork \
	test_percpu_fork_callbacks test_stress_percpu)
$(B)/obj/percpu_hooks.o: src/percpu.c src/internal.h src/test_hooks.h $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DKREF_TEST_HOOKS -c -o $@ $<
$(HOOKED_TESTS): $(B)/tests/%: tests/unit/%.c $(TEST_HEADERS) src/test_hooks.h \
		$(B)/obj/percpu_hooks.o $(B)/libkref.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) $(LDFLAGS) -rdynamic -o $@ $< \
		$(B)/obj/percpu_hooks.o $(B)/libkref.a
$(B)/tests/%: tests/unit/%.c $(TEST_HEADERS) $(LIBS) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) $(LDFLAGS) $(EXTRA_CFLAGS) -rdynamic -o $@ $< $(EXTRA_LDFLAGS) $(B)/libkref.a

# The differential fuzzer's corpus, replayed without libFuzzer in every mode,
# and again with KREF_DEBUG (tests/fuzz/).
FUZZ_SRCS := tests/fuzz/fuzz_refcount.c tests/fuzz/model.c
TESTS   += $(B)/tests/test_fuzz $(B)/tests/test_fuzz_debug
$(B)/tests/test_fuzz_debug: EXTRA_CFLAGS := -DKREF_DEBUG
$(B)/tests/test_fuzz_debug: EXTRA_LDFLAGS = $(DEBUG_LIBS)
$(B)/tests/test_fuzz $(B)/tests/test_fuzz_debug: tests/fuzz/replay.c $(FUZZ_SRCS) \
		tests/fuzz/*.h $(TEST_HEADERS) src/internal.h $(LIBS) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) $(LDFLAGS) $(EXTRA_CFLAGS) -rdynamic -o $@ $< \
		$(FUZZ_SRCS) $(EXTRA_LDFLAGS) $(B)/libkref.a

# ---- tests/debug: the debug-mode matrix (tests/debug/matrix.sh, run by
# check-shell; it builds MODE=plain and MODE=asan debug-matrix itself) ----
# One program per layout: the kref's offset, the object's size class.
MATRIX_OFFSETS := 0 4 8 16 last
MATRIX_SIZES   := tcache bins mmap
MATRIX_PROGS   := $(foreach o,$(MATRIX_OFFSETS),$(foreach s,$(MATRIX_SIZES),\
	$(B)/debug/matrix-off$(o)-$(s)))
debug-matrix: $(MATRIX_PROGS)
$(MATRIX_PROGS): $(B)/debug/matrix-off%: tests/debug/matrix.c $(B)/obj/mixed_peer.o \
		$(LIBS) $(TEST_HEADERS) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) $(LDFLAGS) -O1 -g -fno-omit-frame-pointer \
		-DKREF_DEBUG -DMATRIX_OFF=$(patsubst last,-1,$(word 1,$(subst -, ,$*))) \
		-DMATRIX_SIZE_$(word 2,$(subst -, ,$*)) -rdynamic -o $@ $< \
		$(B)/obj/mixed_peer.o $(DEBUG_LIBS) $(B)/libkref.a
# ---- end of tests/debug ----

$(B)/demo: examples/demo.c $(B)/libkref.a $(HEADERS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -rdynamic -o $@ $< $(B)/libkref.a

$(B)/demo-debug: examples/demo.c $(LIBS) $(HEADERS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -DKREF_DEBUG -rdynamic -o $@ $< $(DEBUG_LIBS) $(B)/libkref.a

tests: $(LIBS) $(TESTS) $(B)/demo $(B)/demo-debug

# The test programs of this MODE, for tests/harness/check.
list-tests:
	@echo $(TESTS)

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

# Cross builds under qemu-user (packages: gcc-<triple>, qemu-user).
CROSS_ARCHES ?= aarch64 armhf armel riscv64 i386
check-cross:
	@$(call counted,cross,tests/release/check-cross.sh $(CROSS_ARCHES))

# The C tests in a real Linux under qemu-system (TCG), per-CPU mode on and
# required (packages: gcc-aarch64-linux-gnu, libc6-dev-arm64-cross,
# qemu-system-arm; the kernel: apt-get download, multiarch arm64).
# Only from the command line: some environments export ARCH for their own use.
ifneq ($(origin ARCH),command line)
ARCH := aarch64
endif
check-system:
	@$(call counted,system,tests/release/check-system.sh $(ARCH))

# make fuzz: libFuzzer with ASan+UBSan on the library and the model, per build
# (plain, hook: KREF_ATOMIC_HOOK=1, debug: KREF_DEBUG) in build/fuzz/BUILD/:
# new inputs in corpus/, a divergence's input as crash-*, the output in log.
FUZZ_TIME   ?= 60
FUZZ_BUILDS ?= plain hook debug
FUZZ_CC     ?= clang
FUZZ_ALL    := -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) -O1 -g -funwind-tables \
	       -fsanitize=address,undefined -fno-sanitize-recover=all -Iinclude -pthread
FUZZ_LIB_hook    := -DKREF_ATOMIC_HOOK=1
FUZZ_EXTRA_hook  := tests/harness/critical_hook.c
FUZZ_TARGET_debug := -DKREF_DEBUG
# Debug mode's reports on stderr would drown libFuzzer's; divergences still
# reach the terminal (fuzz_refcount.c reports them on the sanitizers' channel).
FUZZ_OPTS_debug  := -close_fd_mask=2
build/fuzz/%/fuzz_refcount: tests/fuzz/*.c tests/fuzz/*.h src/*.c src/internal.h \
		tests/harness/critical_hook.c $(HEADERS)
	@mkdir -p $(@D)/obj
	for f in src/*.c $(FUZZ_EXTRA_$*); do \
		$(FUZZ_CC) $(FUZZ_ALL) -fsanitize=fuzzer-no-link $(FUZZ_LIB_$*) -c \
			-o $(@D)/obj/$$(basename $$f .c).o $$f || exit 1; done
	$(FUZZ_CC) $(FUZZ_ALL) -fsanitize=fuzzer -DFUZZ_LIBFUZZER $(FUZZ_LIB_$*) \
		$(FUZZ_TARGET_$*) -o $@ $(FUZZ_SRCS) $(@D)/obj/*.o

fuzz:
	@$(FUZZ_CC) --version 2>/dev/null | grep -q clang || { \
		echo "make fuzz: needs clang as FUZZ_CC (Debian package: clang)"; exit 1; }
	@echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return !d + !n; }' | \
	$(FUZZ_CC) -fsanitize=fuzzer -x c -o /dev/null - 2>/dev/null || { \
		echo "make fuzz: $(FUZZ_CC) has no libFuzzer runtime (Debian package:" \
		     "libclang-rt-$$($(FUZZ_CC) -dumpversion | cut -d. -f1)-dev)"; exit 1; }
	@$(MAKE) --no-print-directory $(addprefix fuzz-,$(FUZZ_BUILDS))

fuzz-%: build/fuzz/%/fuzz_refcount
	@mkdir -p build/fuzz/$*/corpus
	@echo "fuzz-$*: $(FUZZ_TIME) s, output in build/fuzz/$*/log"
	@build/fuzz/$*/fuzz_refcount build/fuzz/$*/corpus tests/fuzz/corpus \
		-max_total_time=$(FUZZ_TIME) -artifact_prefix=build/fuzz/$*/ \
		-print_final_stats=1 $(FUZZ_OPTS_$*) $(FUZZ_ARGS) \
		>build/fuzz/$*/log 2>&1; status=$$?; \
	grep -E '^#[0-9]+[[:space:]]+DONE|^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss)|fuzz: |ERROR|SUMMARY|crash-' \
		build/fuzz/$*/log | sed 's/^/fuzz-$*: /'; exit $$status

demo: $(B)/demo
	$(B)/demo

demo-debug: $(B)/demo-debug
	$(B)/demo-debug

STRESS_TESTS := test_stress test_stress_percpu test_stress_percpu_fork \
	test_stress_rcuref
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

BENCH_CFLAGS := -std=gnu11 $(WARN) -O2 -g -Iinclude -pthread
BENCH_LIBS :=
ifneq ($(shell pkg-config --exists glib-2.0 2>/dev/null && echo yes),)
BENCH_CFLAGS += -DHAVE_GLIB $(shell pkg-config --cflags glib-2.0 2>/dev/null)
BENCH_LIBS += $(shell pkg-config --libs glib-2.0 2>/dev/null)
endif
ifneq ($(shell pkg-config --exists liburcu 2>/dev/null && echo yes),)
BENCH_CFLAGS += -DHAVE_URCU $(shell pkg-config --cflags liburcu 2>/dev/null)
endif
ifneq ($(URCU_LIBS),)
BENCH_CFLAGS += -DHAVE_URCU_CDS -Iexamples
BENCH_LIBS += $(URCU_LIBS)
endif

# Built on its own, always optimised and never sanitized, whatever MODE is.
# population.c once per build compared: its flags make the build.
POP_FLAGS_release :=
POP_FLAGS_debug := -DKREF_DEBUG
POP_FLAGS_asan := -fsanitize=address
build/bench/pop-%.o: bench/population.c bench/debug_pairs.h $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) $(POP_FLAGS_$*) -DPOP_BUILD=$* -c -o $@ $<
BENCH_POP_OBJS := build/bench/pop-release.o build/bench/pop-debug.o
build/bench/bench: bench/*.c bench/*.h examples/*.h src/*.c $(HEADERS) $(BENCH_POP_OBJS)
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -DKREF_DEBUG -c -o $@-debug.o bench/debug_pairs.c
	$(if $(URCU_LIBS),$(CC) $(BENCH_CFLAGS) -c -o $@-rcu-call.o bench/table_rcu.c)
	$(if $(URCU_LIBS),$(CC) $(BENCH_CFLAGS) -D_LGPL_SOURCE -c -o $@-rcu-inline.o bench/table_rcu.c)
	$(if $(URCU_LIBS),$(CC) $(BENCH_CFLAGS) -c -o $@-table.o bench/table.c)
	$(CC) $(BENCH_CFLAGS) -o $@ $< $(if $(URCU_LIBS),$@-table.o $@-rcu-call.o \
		$@-rcu-inline.o) $@-debug.o $(BENCH_POP_OBJS) src/*.c $(BENCH_LIBS) -ldl $(DW_LIBS)
# The population table again in a process under AddressSanitizer's runtime,
# with a row for ASan alone on the same loop; only that row is instrumented.
BENCH_SRC_OBJS := $(patsubst src/%.c,build/bench/src-%.o,$(wildcard src/*.c))
build/bench/src-%.o: src/%.c src/*.h $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -c -o $@ $<
build/bench/bench-asan: build/bench/bench build/bench/pop-asan.o $(BENCH_SRC_OBJS)
	$(CC) $(BENCH_CFLAGS) -DBENCH_ASAN -c -o $@.o bench/bench.c
	$(CC) $(BENCH_CFLAGS) -fsanitize=address -o $@ $@.o \
		$(if $(URCU_LIBS),$<-table.o $<-rcu-call.o $<-rcu-inline.o) \
		$<-debug.o $(BENCH_POP_OBJS) build/bench/pop-asan.o $(BENCH_SRC_OBJS) \
		$(BENCH_LIBS) -ldl $(DW_LIBS)

build/bench/percpu: bench/percpu.c bench/*.h tests/harness/proc_self.h src/*.c src/*.h $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -o $@ $< src/*.c

# ---- call chains (stack branch): what a capture costs, per method
# (bench/debug_stack.c): linked with debug_stack.c's object (the TLS of a
# static link), through libkref-like .so (a shared library's TLS), and with
# libunwind (whose _Unwind_Backtrace then replaces libgcc's).
DEBUG_STACK_BENCH := bench/debug_stack.c build/bench/debug_stack_fp.o \
	build/bench/debug_stack_nofp.o
build/bench/debug_stack_%.o: bench/debug_stack_chain.c bench/debug_stack_bench.h
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -DCHAIN=$* $(if $(filter fp,$*),-fno-omit-frame-pointer,-fomit-frame-pointer) \
		-c -o $@ $<
DEBUG_STACK_LIB := bench/debug_stack_entry.c src/debug_stack.c
build/bench/debug_stack: $(DEBUG_STACK_BENCH) $(DEBUG_STACK_LIB) src/debug_stack.h bench/*.h
	$(CC) $(BENCH_CFLAGS) -o $@ $(DEBUG_STACK_BENCH) $(DEBUG_STACK_LIB)
	$(CC) $(BENCH_CFLAGS) -fPIC -shared -o build/bench/libdebug_stack.so $(DEBUG_STACK_LIB)
	$(CC) $(BENCH_CFLAGS) -o $@-so $(DEBUG_STACK_BENCH) -Lbuild/bench \
		-Wl,-rpath,'$$ORIGIN' -ldebug_stack
	$(if $(shell pkg-config --exists libunwind 2>/dev/null && echo y), \
		$(CC) $(BENCH_CFLAGS) -DHAVE_LIBUNWIND -o $@-unw $(DEBUG_STACK_BENCH) \
		$(DEBUG_STACK_LIB) $(shell pkg-config --libs libunwind))
# ---- end of call chains

bench: build/bench/bench build/bench/bench-asan build/bench/percpu build/bench/debug_stack
	build/bench/bench
	BENCH_ONLY_POPULATIONS=1 build/bench/bench-asan
	build/bench/percpu
	build/bench/debug_stack

# docs/scaling.svg, for docs/benchmarks.md: the bench's throughput at 1 and 2 threads.
chart: build/bench/bench
	BENCH_DATA=build/bench/chart.dat build/bench/bench
	gnuplot bench/chart.gp

install: $(LIBS)
	install -d $(DESTDIR)$(INCLUDEDIR)/kref/arch $(DESTDIR)$(LIBDIR) \
		$(DESTDIR)$(PKGCONFIGDIR)
	install -m 644 include/kref.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 include/kref/*.h $(DESTDIR)$(INCLUDEDIR)/kref/
	install -m 644 include/kref/arch/*.h $(DESTDIR)$(INCLUDEDIR)/kref/arch/
	install -d $(DESTDIR)$(INCLUDEDIR)/kref/compat/linux/sched
	install -m 644 compat/linux/*.h $(DESTDIR)$(INCLUDEDIR)/kref/compat/linux/
	install -m 644 compat/linux/sched/*.h $(DESTDIR)$(INCLUDEDIR)/kref/compat/linux/sched/
	install -m 644 $(B)/libkref.a $(B)/libkref-debug.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(B)/$(SOREAL) $(DESTDIR)$(LIBDIR)/
	ln -sf $(SOREAL) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libkref.so
	@# Into the live system: refresh the dynamic linker's cache, and say
	@# so if it still cannot find the library (LIBDIR not in its path).
	@[ -n "$(DESTDIR)" ] || { ldconfig 2>/dev/null; \
	ldconfig -p 2>/dev/null | grep -q ' => $(LIBDIR)/$(SONAME)$$' || \
	echo "make install: $(LIBDIR) is not in the dynamic linker's path: run" \
	     "ldconfig as root after adding it to /etc/ld.so.conf.d/," \
	     "or link with -Wl,-rpath,$(LIBDIR)"; }
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    libkref.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/libkref.pc
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    -e 's|@DW_LIBS@|$(DW_LIBS)|' libkref-debug.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/libkref-debug.pc
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man7
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.3 $(DESTDIR)$(MANDIR)/man3/
	install -m 644 man/*.7 $(DESTDIR)$(MANDIR)/man7/
	# kref-check: the script, and its package and patterns where it looks
	# for them (BINDIR/../share/kref-check).
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/kref-check/krefcheck
	install -m 755 tools/kref-check/kref-check $(DESTDIR)$(BINDIR)/
	install -m 644 tools/kref-check/cocci/*.cocci tools/kref-check/cocci/macros.h \
		$(DESTDIR)$(DATADIR)/kref-check/
	install -m 644 tools/kref-check/krefcheck/*.py $(DESTDIR)$(DATADIR)/kref-check/krefcheck/
	# One page per family; every other name is a link to it (man/links).
	while read -r page names; do for n in $$names; do \
		echo ".so man3/$${page%:}" > $(DESTDIR)$(MANDIR)/man3/$$n.3; \
	done; done < man/links

# make uninstall: what make install put there, by the same lists (run it
# from the same version's tree, with the same PREFIX, DESTDIR and *DIR),
# then the directories that are libkref's alone (INCLUDEDIR/kref and
# DATADIR/kref-check) once empty.  Shared ones (LIBDIR, PKGCONFIGDIR,
# MANDIR/manN, BINDIR...) stay even if empty: make cannot tell whether
# install created them or the system had them.
UNINSTALL_FILES = $(INCLUDEDIR)/kref.h \
	$(patsubst include/%,$(INCLUDEDIR)/%,$(wildcard include/kref/*.h include/kref/arch/*.h)) \
	$(patsubst compat/%,$(INCLUDEDIR)/kref/compat/%,$(wildcard compat/linux/*.h compat/linux/sched/*.h)) \
	$(addprefix $(LIBDIR)/,libkref.a libkref-debug.a $(SOREAL) $(SONAME) libkref.so) \
	$(addprefix $(PKGCONFIGDIR)/,libkref.pc libkref-debug.pc) \
	$(patsubst man/%,$(MANDIR)/man1/%,$(wildcard man/*.1)) \
	$(patsubst man/%,$(MANDIR)/man3/%,$(wildcard man/*.3)) \
	$(patsubst man/%,$(MANDIR)/man7/%,$(wildcard man/*.7)) \
	$(BINDIR)/kref-check \
	$(patsubst tools/kref-check/cocci/%,$(DATADIR)/kref-check/%,$(wildcard \
		tools/kref-check/cocci/*.cocci tools/kref-check/cocci/macros.h)) \
	$(patsubst tools/kref-check/%,$(DATADIR)/kref-check/%,$(wildcard \
		tools/kref-check/krefcheck/*.py))
UNINSTALL_DIRS = $(addprefix $(INCLUDEDIR)/kref/,compat/linux/sched compat/linux compat arch) \
	$(INCLUDEDIR)/kref $(DATADIR)/kref-check/krefcheck/__pycache__ \
	$(DATADIR)/kref-check/krefcheck $(DATADIR)/kref-check
uninstall:
	rm -f $(addprefix $(DESTDIR),$(UNINSTALL_FILES))
	@# The link pages, as install wrote them from man/links.
	@while read -r page names; do for n in $$names; do \
		rm -f $(DESTDIR)$(MANDIR)/man3/$$n.3; \
	done; done < man/links
	@for d in $(addprefix $(DESTDIR),$(UNINSTALL_DIRS)); do \
		[ ! -d $$d ] || rmdir $$d 2>/dev/null || \
		echo "make uninstall: $$d holds files libkref did not install: left"; \
	done
	@[ -n "$(DESTDIR)" ] || ldconfig 2>/dev/null || true

# kref-check's recall on 32 reconstructed real bugs, and the fixed twins it
# flags (tests/kref-check/real/score.sh; a few minutes).
score-real:
	tests/kref-check/real/score.sh

# kref-check (tools/kref-check, needs Coccinelle's spatch) over the
# examples and the library: non-zero on any finding.
lint:
	tools/kref-check/kref-check examples/ src/

# The release tarball, byte-reproducible: fixed order, owners, modes and
# mtime (SOURCE_DATE_EPOCH, else the last commit's date, else the newest
# file's, which makes dist in an unpacked tarball give the same bytes).
# An explicit list, so it needs no git: add new top-level entries here.
DIST_FILES := .ci .gitignore CONTRIBUTING.md LICENSE Makefile README.md abi bench compat debian \
	docs examples include libkref.pc.in libkref-debug.pc.in man src tests tools
DIST := build/libkref-$(VERSION).tar
dist:
	@mkdir -p build
	@epoch=$${SOURCE_DATE_EPOCH:-$$([ -e .git ] && git log -1 --format=%ct 2>/dev/null)}; \
	epoch=$${epoch:-$$(find $(DIST_FILES) -type f -printf '%T@\n' | sort -n | tail -n 1)}; \
	tar -cf $(DIST) --format=gnu --sort=name --owner=0 --group=0 --numeric-owner \
		--mode=u+rwX,go=rX --mtime=@$${epoch%.*} \
		--transform='flags=r;s,^,libkref-$(VERSION)/,' $(DIST_FILES) && \
	gzip -9nf $(DIST) && echo $(DIST).gz

# make check-abi: libkref.so against the ABI of the last release with its
# soname, abi/libkref.so.SOVERSION.abi, with abidiff (abigail-tools): an
# incompatible change without a new SOVERSION fails
# (tests/release/check-abi.sh).  A release writes its ABI with
# make abi-baseline, from a build with debug information (CFLAGS has -g).
ABIDW_FLAGS := --no-corpus-path --no-comp-dir-path --no-show-locs
check-abi: $(B)/$(SOREAL)
	@$(call counted,abi,KREF_BUILD=$(B) tests/harness/run abi tests/release/check-abi.sh)

# The SPDX line goes on the second line: abidiff knows the file by its first.
abi-baseline: $(B)/$(SOREAL)
	@mkdir -p abi
	abidw $(ABIDW_FLAGS) --out-file abi/$(SONAME).abi.new $(B)/$(SOREAL)
	sed '1a\  <!-- SPDX-License-Identifier: MIT -->' abi/$(SONAME).abi.new >abi/$(SONAME).abi
	rm -f abi/$(SONAME).abi.new

# The Debian packages from make dist's tarball, checked (tests/release/check-deb.sh).
check-deb:
	@$(call counted,deb,tests/harness/run deb tests/release/check-deb.sh)

clean:
	rm -rf build

.PHONY: all tests list-tests debug-matrix check deps check-cross check-system demo demo-debug stress valgrind bench chart install uninstall dist check-deb check-abi abi-baseline score-real clean fuzz lint
.PRECIOUS: $(B)/obj/%.o build/fuzz/%/fuzz_refcount
