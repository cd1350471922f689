/* SPDX-License-Identifier: MIT */
/* Rule 1, kernel style: the poll work puts the reference it was queued
 * with; the reference is taken on a separate "not pending" test before
 * schedule_work(), and the pending work can run and put in between, so
 * the new queueing runs without one. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

bool work_pending(const struct work_struct *work);

struct battery { struct kref kref; struct work_struct poll; int level; };

static void battery_release(struct kref *kref)
{
	kfree(container_of(kref, struct battery, kref));
}

static void battery_hold(struct battery *b) { kref_get(&b->kref); }
static void battery_put(struct battery *b) { kref_put(&b->kref, battery_release); }

static void battery_poll_fn(struct work_struct *work)
{
	struct battery *b = container_of(work, struct battery, poll);

	b->level--;
	battery_put(b);
}

void battery_kick(struct battery *b)
{
	INIT_WORK(&b->poll, battery_poll_fn);
	if (!work_pending(&b->poll))
		battery_hold(b);
	schedule_work(&b->poll);	/* expect: rule 1 */
}
