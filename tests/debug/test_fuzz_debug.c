/* SPDX-License-Identifier: MIT */
/*
 * test_fuzz_debug.c - tests/fuzz/test_fuzz.c in debug mode: the committed
 * corpus replayed through the differential fuzzer's target with the
 * target, the model and this program built with -DKREF_DEBUG, as every
 * test in tests/debug is.
 *
 * Build: tests/fuzz/fuzz_refcount.c tests/fuzz/model.c
 */
#include "../fuzz/test_fuzz.c"
