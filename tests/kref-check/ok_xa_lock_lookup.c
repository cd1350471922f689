/* SPDX-License-Identifier: MIT */
/* Correct, kernel style: the lookup and its get happen under xa_lock, and
 * the final put is made holding the same lock: xa_lock and xa_unlock are
 * a lock and an unlock like spin_lock's (issue 18). */
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct xarray { spinlock_t xa_lock; void *slots[64]; };

void xa_lock(struct xarray *xa);
void xa_unlock(struct xarray *xa);
void *xa_load(struct xarray *xa, unsigned long index);
void *__xa_erase(struct xarray *xa, unsigned long index);

struct session { struct kref kref; unsigned long id; };

static struct xarray sessions;

static void session_release(struct kref *kref)
{
	struct session *s = container_of(kref, struct session, kref);

	__xa_erase(&sessions, s->id);
	kfree(s);
}

struct session *session_find(unsigned long id)
{
	struct session *s;

	xa_lock(&sessions);
	s = xa_load(&sessions, id);
	if (s)
		kref_get(&s->kref);
	xa_unlock(&sessions);
	return s;
}

void session_put(struct session *s)
{
	xa_lock(&sessions);
	kref_put(&s->kref, session_release);
	xa_unlock(&sessions);
}
