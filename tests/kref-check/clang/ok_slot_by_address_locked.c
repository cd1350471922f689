/* SPDX-License-Identifier: MIT */
/* Rule 3 kept: the slot passed by address is replaced and read under one
 * lock, and the reader gets its reference before unlocking. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct cfg { struct kref ref; int generation; };

static pthread_mutex_t cfg_lock = PTHREAD_MUTEX_INITIALIZER;

static void cfg_release(struct kref *ref)
{
	free(container_of(ref, struct cfg, ref));
}

void cfg_publish(struct cfg **slot, struct cfg *fresh)
{
	struct cfg *old;

	pthread_mutex_lock(&cfg_lock);
	old = *slot;
	*slot = fresh;
	pthread_mutex_unlock(&cfg_lock);
	if (old)
		kref_put(&old->ref, cfg_release);
}

struct cfg *cfg_current(struct cfg **slot)
{
	struct cfg *c;

	pthread_mutex_lock(&cfg_lock);
	c = *slot;
	if (c)
		kref_get(&c->ref);
	pthread_mutex_unlock(&cfg_lock);
	return c;
}
