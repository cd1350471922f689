/* SPDX-License-Identifier: MIT */
/* Rule 2, kernel style: the monitor's snapshot reference is put by the
 * refresh work and by monitor_stop(), each reading the member and clearing
 * it after the put.  Stop does not wait for the work (cancel_work() only
 * dequeues it), so both can read the same snapshot and put it twice. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct snapshot { struct kref ref; int stale; long values[8]; };
struct monitor { struct work_struct refresh; struct snapshot *snap; };

bool cancel_work(struct work_struct *w);

static void snapshot_release(struct kref *ref)
{
	kfree(container_of(ref, struct snapshot, ref));
}

static void snapshot_put(struct snapshot *s)
{
	kref_put(&s->ref, snapshot_release);
}

void monitor_refresh(struct work_struct *work)
{
	struct monitor *mon = container_of(work, struct monitor, refresh);
	struct snapshot *s = mon->snap;

	if (s && s->stale) {
		snapshot_put(s);	/* expect: rule 2 */
		mon->snap = NULL;
	}
}

void monitor_stop(struct monitor *mon)
{
	cancel_work(&mon->refresh);
	if (mon->snap) {
		snapshot_put(mon->snap);
		mon->snap = NULL;
	}
}
