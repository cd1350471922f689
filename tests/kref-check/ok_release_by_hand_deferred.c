/* SPDX-License-Identifier: MIT */
/* Correct, kernel style: under the list's spinlock the count is taken to
 * zero by hand and the object parked; the release runs once the lock is
 * dropped.  Calling the release there is the end of that final put, not a
 * free whatever the count (issue 18). */
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct timeline {
	struct kref kref;
	struct timeline *next;
	int active;
};

static DEFINE_SPINLOCK(timelines_lock);
static struct timeline *timelines;

static void timeline_free(struct kref *kref)
{
	kfree(container_of(kref, struct timeline, kref));
}

void timeline_put(struct timeline *tl)
{
	kref_put(&tl->kref, timeline_free);
}

void timelines_retire(void)
{
	struct timeline *tl, *tn, **link, *dead = NULL;

	spin_lock(&timelines_lock);
	link = &timelines;
	for (tl = timelines; tl; tl = tn) {
		tn = tl->next;
		if (tl->active) {
			link = &tl->next;
			continue;
		}
		*link = tn;
		if (refcount_dec_and_test(&tl->kref.refcount)) {
			tl->next = dead;
			dead = tl;
		}
	}
	spin_unlock(&timelines_lock);

	for (tl = dead; tl; tl = tn) {
		tn = tl->next;
		timeline_free(&tl->kref);
	}
}
