/* SPDX-License-Identifier: MIT */
/*
 * debug_pairs.c - the bench's operations built with -DKREF_DEBUG, to put
 * a price on debug mode beside the release build's.
 */
#include <kref.h>
#include "debug_pairs.h"

static struct kref obj;

static void release(struct kref *k)
{
	(void)k;
}

void debug_pairs_init(void)
{
	kref_init(&obj);
}

void pairs_kref_debug(long n)
{
	for (long i = 0; i < n; i++) {
		kref_get(&obj);
		kref_put(&obj, release);
	}
}

void debug_pairs_exit(void)
{
	kref_put(&obj, release);
}
