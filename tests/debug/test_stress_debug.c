/* SPDX-License-Identifier: MIT */
/*
 * test_stress_debug.c - tests/stress/test_stress.c in debug mode: built
 * here, with -DKREF_DEBUG and libkref-debug.a, as every test in
 * tests/debug is.
 */
#include "../stress/test_stress.c"
