/* SPDX-License-Identifier: MIT */
/*
 * mixed_peer.c - the half of test_debug_mixed built without KREF_DEBUG.
 */
#include <stdlib.h>
#include <kref.h>
#include "mixed_peer.h"

void peer_get_put(struct kref *ref, void (*release)(struct kref *), int n)
{
	for (int i = 0; i < n; i++) {
		kref_get(ref);
		kref_put(ref, release);
	}
}

void peer_get(struct kref *ref)
{
	kref_get(ref);
}

int peer_put(struct kref *ref, void (*release)(struct kref *))
{
	return kref_put(ref, release);
}

void peer_init(struct kref *ref)
{
	kref_init(ref);
}
