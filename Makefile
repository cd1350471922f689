# SPDX-License-Identifier: MIT
#
# make            libkref.a and libkref.so in build/plain/
# make check      every mode below, then "N passed, N failed, N skipped"
# make check-MODE one of them: plain, asan (ASan+UBSan), tsan, hook, clang,
#                 valgrind (Helgrind and DRD), shell (the run-once checks)
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
# tests/common/critical_hook.c's critical section); each in build/MODE.
# tests/harness/check says what each mode runs.
#
# This file holds the configuration: the version, the directories, the
# modes and their flags.  What is built from it is in mk/, one file per
# concern, each included below; docs/testing.md says where a test goes.

# A release changes VERSION (and adds debian/changelog's entry for it, which
# tests/build/version.sh checks): include/kref/version.h follows it.
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

HEADERS := $(sort include/kref.h include/kref/version.h $(wildcard include/kref/*.h include/kref/arch/*.h))

# libdw (elfutils) names a debug-mode call chain's frames with FILE:LINE;
# without it (a cross compiler, whose pkg-config finds only the target's
# libraries), dladdr().  The library, the tests, the benchmark and
# libkref-debug.pc all link it.
DW_LIBS := $(shell pkg-config --libs libdw 2>/dev/null)

# The default goal: the three libraries (mk/lib.mk adds them).
all:

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

# In the order each needs the one before: lib.mk defines LIBS and
# DEBUG_LIBS, which the tests, the demo and install link.
include mk/lib.mk       # libkref.a, libkref.so, libkref-debug.a
include mk/tests.mk     # the test programs, one pattern rule per kind
include mk/check.mk     # make check and its modes, stress, valgrind
include mk/cross.mk     # check-cross (qemu-user), check-system (qemu-system)
include mk/fuzz.mk      # make fuzz: libFuzzer
include mk/bench.mk     # make bench, make chart
include mk/install.mk   # make install, make uninstall
include mk/release.mk   # dist, check-deb, check-abi, abi-baseline, lint
include mk/analyzer.mk  # kref-check's Clang Static Analyzer plugin

clean:
	rm -rf build

.PHONY: all clean
