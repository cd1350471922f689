/* SPDX-License-Identifier: MIT */
/* Rule 2, kernel style: the monitor's snapshot reference is put by the
 * refresh work and by monitor_stop(); stop first waits for the work to
 * finish (cancel_work_sync), so the two puts never run together. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct snapshot { struct kref ref; int stale; long values[8]; };
struct monitor { struct work_struct refresh; struct snapshot *snap; };

bool cancel_work_sync(struct work_struct *w);

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
		mon->snap = NULL;
		snapshot_put(s);
	}
}

void monitor_stop(struct monitor *mon)
{
	cancel_work_sync(&mon->refresh);
	if (mon->snap) {
		snapshot_put(mon->snap);
		mon->snap = NULL;
	}
}
