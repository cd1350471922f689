/* SPDX-License-Identifier: MIT */
/* Rule 3: lookups are under the spinlock with kref_get, and the put macro
 * drops the last reference without it. */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

struct waiter { struct kref kref; struct list_head node; int tag; };
static LIST_HEAD(waiters);
static DEFINE_SPINLOCK(waiters_lock);

static void waiter_release(struct kref *kref)
{
	struct waiter *w = container_of(kref, struct waiter, kref);
	spin_lock(&waiters_lock);
	list_del(&w->node);
	spin_unlock(&waiters_lock);
	kfree(w);
}

#define WAITER_PUT(w) kref_put(&(w)->kref, waiter_release)

struct waiter *waiter_find(int tag)
{
	struct waiter *w;
	spin_lock(&waiters_lock);
	list_for_each_entry(w, &waiters, node) {
		if (w->tag == tag) {
			kref_get(&w->kref);	/* expect: rule 3 */
			spin_unlock(&waiters_lock);
			return w;
		}
	}
	spin_unlock(&waiters_lock);
	return NULL;
}

void waiter_wake(int tag)
{
	struct waiter *w = waiter_find(tag);
	if (w)
		WAITER_PUT(w);	/* expect: rule 3 */
}
