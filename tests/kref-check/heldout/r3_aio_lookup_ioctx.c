/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 3bd9a5d734c7cc7533b27abf451416c7f50095a7 "aio: fix rcu ioctx lookup",
 * fs/aio.c, lookup_ioctx().  The lookup walks mm->ioctx_list under
 * rcu_read_lock() and takes a plain reference through get_ioctx(); RCU
 * keeps the memory, not the count, so it may revive a context whose last
 * reference is already gone.  Fixed with try_get_ioctx() (inc-not-zero).
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct kioctx { struct kref users; int dead; unsigned long user_id; struct list_head list; struct rcu_head rcu_head; };
struct mm_struct { spinlock_t ioctx_lock; struct list_head ioctx_list; };

static void __put_ioctx(struct kref *kref)
{
	struct kioctx *ctx = container_of(kref, struct kioctx, users);

	kfree_rcu(ctx, rcu_head);
}

static void get_ioctx(struct kioctx *kioctx)
{
	kref_get(&kioctx->users);
}

void put_ioctx(struct kioctx *kioctx)
{
	kref_put(&kioctx->users, __put_ioctx);
}

struct kioctx *lookup_ioctx(struct mm_struct *mm, unsigned long ctx_id)
{
	struct kioctx *ctx, *ret = NULL;

	rcu_read_lock();
	list_for_each_entry_rcu(ctx, &mm->ioctx_list, list) {
		if (ctx->user_id == ctx_id && !ctx->dead) {
			get_ioctx(ctx);	/* expect: rule 3 */
			ret = ctx;
			break;
		}
	}
	rcu_read_unlock();
	return ret;
}

/* io_destroy(): unlink under ioctx_lock, then drop the list's reference. */
void io_destroy(struct mm_struct *mm, struct kioctx *ioctx)
{
	spin_lock(&mm->ioctx_lock);
	ioctx->dead = 1;
	list_del_rcu(&ioctx->list);
	spin_unlock(&mm->ioctx_lock);
	put_ioctx(ioctx);
}
