/* SPDX-License-Identifier: MIT */
/* Rule 3, kernel style: the lookups and the usual put take the mutex; the
 * worker's final put does not. */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>

struct gadget { struct kref refcount; struct list_head entry; int id; };
#define to_gadget(k) container_of(k, struct gadget, refcount)

static LIST_HEAD(gadgets);
static DEFINE_MUTEX(gadgets_mutex);

static void gadget_release(struct kref *kref)
{
	struct gadget *g = to_gadget(kref);

	list_del(&g->entry);
	mutex_unlock(&gadgets_mutex);
	kfree(g);
}

static void gadget_put(struct gadget *g)
{
	kref_put_mutex(&g->refcount, gadget_release, &gadgets_mutex);
}

struct gadget *gadget_get_by_id(int id)
{
	struct gadget *g;

	mutex_lock(&gadgets_mutex);
	list_for_each_entry(g, &gadgets, entry) {
		if (g->id == id) {
			kref_get(&g->refcount);
			mutex_unlock(&gadgets_mutex);
			return g;
		}
	}
	mutex_unlock(&gadgets_mutex);
	return NULL;
}

/* Violation: the worker's final put skips the mutex. */
void gadget_worker_done(struct gadget *g)
{
	kref_put(&g->refcount, gadget_release);	/* expect: rule 3 */
}

int gadget_ping(int id)
{
	struct gadget *g = gadget_get_by_id(id);
	if (!g)
		return -1;
	gadget_put(g);
	return 0;
}
