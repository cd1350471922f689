# SPDX-License-Identifier: MIT
#
# make fuzz: libFuzzer with ASan+UBSan on the library and the model, per build
# (plain, hook: KREF_ATOMIC_HOOK=1, debug: KREF_DEBUG) in build/fuzz/BUILD/:
# new inputs in corpus/, a divergence's input as crash-*, the output in log.
# make check replays the committed corpus without libFuzzer instead
# (tests/fuzz/test_fuzz.c, tests/debug/test_fuzz_debug.c).
FUZZ_SRCS   := tests/fuzz/fuzz_refcount.c tests/fuzz/model.c
FUZZ_TIME   ?= 60
FUZZ_BUILDS ?= plain hook debug
FUZZ_CC     ?= clang
FUZZ_ALL    := -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) -O1 -g -funwind-tables \
	       -fsanitize=address,undefined -fno-sanitize-recover=all -Iinclude -pthread
FUZZ_LIB_hook    := -DKREF_ATOMIC_HOOK=1
FUZZ_EXTRA_hook  := tests/common/critical_hook.c
FUZZ_TARGET_debug := -DKREF_DEBUG
# Debug mode's reports on stderr would drown libFuzzer's; divergences still
# reach the terminal (fuzz_refcount.c reports them on the sanitizers' channel).
FUZZ_OPTS_debug  := -close_fd_mask=2
build/fuzz/%/fuzz_refcount: $(FUZZ_SRCS) tests/fuzz/*.h src/*.c src/internal.h \
		tests/common/critical_hook.c $(HEADERS)
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

.PHONY: fuzz
.PRECIOUS: build/fuzz/%/fuzz_refcount
