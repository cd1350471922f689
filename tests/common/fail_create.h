/* SPDX-License-Identifier: MIT */
/*
 * fail_create.h - pthread_create() that fails on demand, for the handoff
 * failure paths: link the test with -Wl,--wrap=pthread_create, then set
 * fail_creates to make that many next calls fail with EAGAIN.
 */
#ifndef TESTS_FAIL_CREATE_H
#define TESTS_FAIL_CREATE_H

#include <errno.h>
#include <pthread.h>

static int fail_creates;

int __real_pthread_create(pthread_t *t, const pthread_attr_t *attr,
			  void *(*fn)(void *), void *arg);
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *attr,
			  void *(*fn)(void *), void *arg);

int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *attr,
			  void *(*fn)(void *), void *arg)
{
	if (fail_creates > 0) {
		fail_creates--;
		return EAGAIN;
	}
	return __real_pthread_create(t, attr, fn, arg);
}

#endif /* TESTS_FAIL_CREATE_H */
