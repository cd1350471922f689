/* SPDX-License-Identifier: MIT */
/*
 * capture.h - a warn handler for tests: counts saturation events and keeps
 * the last one, with the value the counter had when the handler ran.
 */
#ifndef TESTS_CAPTURE_H
#define TESTS_CAPTURE_H

#include <stdatomic.h>
#include <kref.h>

static atomic_int captured_events;
static enum refcount_saturation_type captured_type;
static int captured_value;		/* the counter as the handler saw it */
static refcount_t *captured_counter;

static void capture_handler(refcount_t *r, enum refcount_saturation_type t)
{
	captured_type = t;
	captured_value = (int)refcount_read(r);
	captured_counter = r;
	/* Relaxed: readers join the reporting threads before they look. */
	atomic_fetch_add_explicit(&captured_events, 1, memory_order_relaxed);
}

/* Installs capture_handler and clears what it holds. */
static inline void capture_start(void)
{
	refcount_set_warn_handler(capture_handler);
	atomic_store(&captured_events, 0);
	captured_value = 0;
	captured_counter = NULL;
	captured_type = (enum refcount_saturation_type)-1;
}

static inline int capture_count(void)
{
	return atomic_load(&captured_events);
}

#endif /* TESTS_CAPTURE_H */
