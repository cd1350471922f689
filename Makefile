# SPDX-License-Identifier: MIT
#
# make            libkref.a and libkref.so in build/plain/
# make check      the test suite: plain, ASan+UBSan, TSan, hook; clang -Werror build
# make check-cross  the C tests built for CROSS_ARCHES, run under qemu-user
# make demo       build and run examples/demo.c (demo-debug: with KREF_DEBUG)
# make bench      build and run the benchmark (chart: and draw docs/scaling.svg)
# make stress     the stress tests, scaled up (KREF_STRESS_SCALE, default 20:
#                 a few minutes)
# make valgrind   every multi-threaded test under Helgrind and DRD (long)
# make install    PREFIX (/usr/local), DESTDIR honoured
# make dist       build/libkref-VERSION.tar.gz, byte-reproducible
# make check-deb  build the .debs from make dist's tarball; lintian them
#
# MODE selects the build: plain (default), asan, tsan, valgrind (annotated
# for Helgrind and DRD), hook (KREF_ATOMIC_HOOK=1, as on Cortex-M0, with
# tests/critical_hook.c's critical section); each in build/MODE.

VERSION    := 0.1.0
SOVERSION  := 0
PREFIX     ?= /usr/local
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
MANDIR     ?= $(PREFIX)/share/man

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

HEADERS := include/kref.h $(wildcard include/kref/*.h)
LIB_OBJS := $(patsubst src/%.c,$(B)/obj/%.o,$(wildcard src/*.c))
# The hook build's library carries the critical section a firmware would.
ifeq ($(MODE),hook)
LIB_OBJS += $(B)/obj/critical_hook.o
endif
TESTS   := $(patsubst tests/%.c,$(B)/tests/%,$(wildcard tests/test_*.c))
SONAME  := libkref.so.$(SOVERSION)
LIBS    := $(B)/libkref.a $(B)/libkref.so.$(VERSION)

all: $(LIBS)

$(B)/obj/%.o: src/%.c src/internal.h $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -c -o $@ $<
$(B)/obj/critical_hook.o: tests/critical_hook.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -c -o $@ $<

$(B)/libkref.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/libkref.so.$(VERSION): $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(SONAME) -o $@ $^
	ln -sf libkref.so.$(VERSION) $(B)/$(SONAME)
	ln -sf $(SONAME) $(B)/libkref.so

# liburcu is optional: without it, the lock-free table test and the
# kernel-style test (whose rcupdate.h uses liburcu-bp) are not built.
URCU_LIBS := $(shell pkg-config --libs liburcu-cds liburcu 2>/dev/null)
URCU_BP_LIBS := $(shell pkg-config --libs liburcu-bp 2>/dev/null)
ifeq ($(URCU_LIBS),)
TESTS := $(filter-out %/test_rcu_table,$(TESTS))
endif
ifeq ($(URCU_BP_LIBS),)
TESTS := $(filter-out %/test_kernel_style,$(TESTS))
endif
# Kernel-style code, unchanged, on the compat headers.
$(B)/tests/test_kernel_style: tests/test_kernel_style.c examples/kernel_style.c \
		examples/*.h compat/linux/*.h tests/*.h $(B)/libkref.a $(HEADERS)
	@mkdir -p $(B)/obj
	$(CC) $(ALL_CFLAGS) -Icompat -c -o $(B)/obj/kernel_style.o examples/kernel_style.c
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Iexamples -rdynamic -o $@ $< $(B)/obj/kernel_style.o \
		$(B)/libkref.a $(URCU_BP_LIBS)
$(B)/tests/test_rcu_table: EXTRA_CFLAGS := -Iexamples
$(B)/tests/test_rcu_table: EXTRA_LDFLAGS := $(URCU_LIBS)

# Tests link statically and export their symbols, so backtraces name them.
# test_debug* build with -DKREF_DEBUG; test_stress_debug is test_stress so.
TESTS   += $(B)/tests/test_stress_debug
$(B)/tests/test_handoff: EXTRA_LDFLAGS := -Wl,--wrap=pthread_create
$(B)/tests/test_debug: EXTRA_CFLAGS := -DKREF_DEBUG
$(B)/tests/test_stress_debug: EXTRA_CFLAGS := -DKREF_DEBUG
$(B)/tests/test_debug_mixed: tests/test_debug_mixed.c tests/mixed_peer.c tests/*.h $(B)/libkref.a $(HEADERS)
	$(CC) $(ALL_CFLAGS) -c -o $(B)/obj/mixed_peer.o tests/mixed_peer.c
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -DKREF_DEBUG -rdynamic -o $@ $< $(B)/obj/mixed_peer.o $(B)/libkref.a
$(B)/tests/test_stress_debug: tests/test_stress.c tests/*.h $(B)/libkref.a $(HEADERS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(EXTRA_CFLAGS) -rdynamic -o $@ $< $(B)/libkref.a
# Tests that hold percpu_ref's race windows open link src/percpu.c built
# with its test hooks (src/test_hooks.h) ahead of libkref.a, which has none.
HOOKED_TESTS := $(patsubst %,$(B)/tests/%,test_percpu_window test_percpu_fork \
	test_stress_percpu)
$(B)/obj/percpu_hooks.o: src/percpu.c src/internal.h src/test_hooks.h $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DKREF_TEST_HOOKS -c -o $@ $<
$(HOOKED_TESTS): $(B)/tests/%: tests/%.c tests/*.h src/test_hooks.h \
		$(B)/obj/percpu_hooks.o $(B)/libkref.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -rdynamic -o $@ $< $(B)/obj/percpu_hooks.o \
		$(B)/libkref.a
$(B)/tests/%: tests/%.c tests/*.h examples/*.h $(B)/libkref.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(EXTRA_CFLAGS) -rdynamic -o $@ $< $(B)/libkref.a $(EXTRA_LDFLAGS)

$(B)/demo: examples/demo.c $(B)/libkref.a $(HEADERS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -rdynamic -o $@ $< $(B)/libkref.a

$(B)/demo-debug: examples/demo.c $(B)/libkref.a $(HEADERS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -DKREF_DEBUG -rdynamic -o $@ $< $(B)/libkref.a

tests: $(LIBS) $(TESTS) $(B)/demo $(B)/demo-debug

# The suite in one mode; tests/run-suite appends its counts to build/counts.
test-mode: tests
	tests/run-suite $(MODE) $(B)

check:
	@rm -f build/counts
	$(MAKE) --no-print-directory MODE=clang CC=clang tests
	$(MAKE) --no-print-directory MODE=valgrind tests
	@fail=0; for m in plain asan tsan hook; do \
		$(MAKE) --no-print-directory MODE=$$m test-mode || fail=1; \
	done; tests/summary build/counts && [ $$fail = 0 ]

# $(call counted,COUNTS,COMMAND): COMMAND's run-suite counts go to COUNTS,
# whose total is printed; fails if COMMAND or any test failed.
counted = rm -f $(1); KREF_COUNTS=$(1) $(2); status=$$?; \
	tests/summary $(1) && [ $$status = 0 ]

# Cross builds under qemu-user (packages: gcc-<triple>, qemu-user).
CROSS_ARCHES ?= aarch64 armhf armel riscv64 i386
check-cross:
	@$(call counted,build/cross-counts,tests/check-cross.sh $(CROSS_ARCHES))

demo: $(B)/demo
	$(B)/demo

demo-debug: $(B)/demo-debug
	$(B)/demo-debug

STRESS_TESTS := test_stress test_stress_percpu test_stress_rcuref
stress: $(patsubst %,$(B)/tests/%,$(STRESS_TESTS))
	@for t in $(STRESS_TESTS); do echo "== $$t"; \
		KREF_STRESS_SCALE=$${KREF_STRESS_SCALE:-20} $(B)/tests/$$t || exit 1; \
	done

# Every multi-threaded test under Helgrind and DRD: long (tens of minutes).
valgrind:
	$(MAKE) --no-print-directory MODE=valgrind tests
	VALGRIND_TESTS="test_final_put test_handoff test_rcuref test_percpu \
		test_locks test_stress" prove -v tests/valgrind.sh

BENCH_CFLAGS := -std=gnu11 $(WARN) -O2 -g -Iinclude -pthread
BENCH_LIBS :=
ifneq ($(shell pkg-config --exists glib-2.0 && echo yes),)
BENCH_CFLAGS += -DHAVE_GLIB $(shell pkg-config --cflags glib-2.0)
BENCH_LIBS += $(shell pkg-config --libs glib-2.0)
endif
ifneq ($(shell pkg-config --exists liburcu && echo yes),)
BENCH_CFLAGS += -DHAVE_URCU $(shell pkg-config --cflags liburcu)
endif
ifneq ($(URCU_LIBS),)
BENCH_CFLAGS += -DHAVE_URCU_CDS -Iexamples
BENCH_LIBS += $(URCU_LIBS)
endif

# Built on its own, always optimised and never sanitized, whatever MODE is.
build/bench/bench: bench/*.c bench/*.h examples/*.h src/*.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -DKREF_DEBUG -c -o $@-debug.o bench/debug_pairs.c
	$(CC) $(BENCH_CFLAGS) -o $@ $< $(if $(URCU_LIBS),bench/table.c) $@-debug.o \
		src/*.c $(BENCH_LIBS)

bench: build/bench/bench
	build/bench/bench

# docs/scaling.svg, for the README: the bench's throughput at 1 and 2 threads.
chart: build/bench/bench
	BENCH_DATA=build/bench/chart.dat build/bench/bench
	gnuplot bench/chart.gp

install: $(LIBS)
	install -d $(DESTDIR)$(INCLUDEDIR)/kref $(DESTDIR)$(LIBDIR) \
		$(DESTDIR)$(PKGCONFIGDIR)
	install -m 644 include/kref.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 include/kref/*.h $(DESTDIR)$(INCLUDEDIR)/kref/
	install -d $(DESTDIR)$(INCLUDEDIR)/kref/compat/linux
	install -m 644 compat/linux/*.h $(DESTDIR)$(INCLUDEDIR)/kref/compat/linux/
	install -m 644 $(B)/libkref.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(B)/libkref.so.$(VERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf libkref.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libkref.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    libkref.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/libkref.pc
	install -d $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man7
	install -m 644 man/*.3 $(DESTDIR)$(MANDIR)/man3/
	install -m 644 man/*.7 $(DESTDIR)$(MANDIR)/man7/
	# One page per family; every other name is a link to it (man/links).
	while read -r page names; do for n in $$names; do \
		echo ".so man3/$${page%:}" > $(DESTDIR)$(MANDIR)/man3/$$n.3; \
	done; done < man/links

# The release tarball, byte-reproducible: fixed order, owners, modes and
# mtime (SOURCE_DATE_EPOCH, else the last commit's date, else the newest
# file's, which makes dist in an unpacked tarball give the same bytes).
# An explicit list, so it needs no git: add new top-level entries here.
DIST_FILES := .ci .gitignore LICENSE Makefile README.md bench compat debian \
	docs examples include libkref.pc.in man src tests
DIST := build/libkref-$(VERSION).tar
dist:
	@mkdir -p build
	@epoch=$${SOURCE_DATE_EPOCH:-$$([ -e .git ] && git log -1 --format=%ct 2>/dev/null)}; \
	epoch=$${epoch:-$$(find $(DIST_FILES) -type f -printf '%T@\n' | sort -n | tail -n 1)}; \
	tar -cf $(DIST) --format=gnu --sort=name --owner=0 --group=0 --numeric-owner \
		--mode=u+rwX,go=rX --mtime=@$${epoch%.*} \
		--transform='flags=r;s,^,libkref-$(VERSION)/,' $(DIST_FILES) && \
	gzip -9nf $(DIST) && echo $(DIST).gz

# The Debian packages from make dist's tarball, checked (tests/check-deb.sh).
check-deb:
	@$(call counted,build/deb-counts,tests/run-suite deb build/deb)

clean:
	rm -rf build

.PHONY: all tests test-mode check check-cross demo demo-debug stress valgrind bench chart install dist check-deb clean
.PRECIOUS: $(B)/obj/%.o
