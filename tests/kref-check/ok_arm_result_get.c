/* SPDX-License-Identifier: MIT */
/* The poll work puts the reference it was queued with: the reference is
 * taken before queueing and given back when schedule_work() says the work
 * was already pending (that queueing has its own). */
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
	battery_hold(b);
	if (!schedule_work(&b->poll))
		battery_put(b);
}

/* A pending test that only skips the queueing is no race on the count. */
void battery_kick_once(struct battery *b)
{
	if (work_pending(&b->poll))
		return;
	battery_hold(b);
	if (!schedule_work(&b->poll))
		battery_put(b);
}
