/* SPDX-License-Identifier: MIT */
/* Rule 3: an insert that finds a twin already in the table.  On a
 * collision it returns the object the table holds, found under the
 * table's lock, with no reference of its own: its caller puts it as if it
 * owned one, and between the unlock and that put the object's last real
 * holder may free it.  The normal path returns the new object, whose
 * reference the caller does own. */
#include <linux/kref.h>
#include <linux/spinlock.h>
#include <linux/slab.h>
#include <linux/xarray.h>

struct flow {
	struct kref kref;
	u32 id;
};

struct flow_table {
	spinlock_t lock;
	struct xarray flows;
};

static void flow_free(struct kref *kref)
{
	kfree(container_of(kref, struct flow, kref));
}

void flow_put(struct flow *fl)
{
	kref_put(&fl->kref, flow_free);
}

static struct flow *flow_new(u32 id)
{
	struct flow *fl = kzalloc(sizeof(*fl), GFP_KERNEL);

	if (!fl)
		return NULL;
	kref_init(&fl->kref);
	fl->id = id;
	return fl;
}

struct flow *flow_insert(struct flow_table *tbl, u32 id)
{
	struct flow *fl, *old;

	fl = flow_new(id);
	if (!fl)
		return NULL;
	spin_lock(&tbl->lock);
	old = xa_cmpxchg(&tbl->flows, id, NULL, fl, GFP_ATOMIC);
	if (!old)
		kref_get(&fl->kref);	/* the table's reference */
	spin_unlock(&tbl->lock);
	if (old) {
		flow_put(fl);
		return old;	/* expect: rule 3 */
	}
	return fl;
}

void flow_remove(struct flow_table *tbl, u32 id)
{
	struct flow *fl;

	spin_lock(&tbl->lock);
	fl = xa_erase(&tbl->flows, id);
	spin_unlock(&tbl->lock);
	if (fl)
		flow_put(fl);
}
