/* SPDX-License-Identifier: MIT */
/*
 * test_cleanup_debug.c - tests/unit/test_cleanup.c in debug mode, every
 * report fatal: built here, with -DKREF_DEBUG and libkref-debug.a, as
 * every test in tests/debug is (test_cleanup.c says what it checks then).
 */
#include "../unit/test_cleanup.c"
