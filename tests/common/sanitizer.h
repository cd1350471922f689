/* SPDX-License-Identifier: MIT */
/*
 * sanitizer.h - SANITIZER_OWNS_MALLOC, defined when AddressSanitizer or
 * ThreadSanitizer builds the test: then malloc() is the sanitizer's, which
 * a test of debug mode's allocator watch cannot replace or predict.
 */
#ifndef TESTS_SANITIZER_H
#define TESTS_SANITIZER_H

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZER_OWNS_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SANITIZER_OWNS_MALLOC 1
#endif
#endif

#endif /* TESTS_SANITIZER_H */
