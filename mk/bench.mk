# SPDX-License-Identifier: MIT
#
# make bench and make chart (bench/, docs/benchmarks.md): built on their
# own, always optimised and, but for bench-asan's one row, never
# sanitized, whatever MODE is.

# liburcu: the benchmark's RCU tables, when it is there.
URCU_LIBS := $(shell pkg-config --libs liburcu-cds liburcu 2>/dev/null)
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

build/bench/percpu: bench/percpu.c bench/*.h tests/common/proc_self.h src/*.c src/*.h $(HEADERS)
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

.PHONY: bench chart
