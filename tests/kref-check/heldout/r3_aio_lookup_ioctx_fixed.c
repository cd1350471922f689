/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r3_aio_lookup_ioctx.c (own code): torvalds/linux commit
 * 3bd9a5d734c7cc7533b27abf451416c7f50095a7, fs/aio.c.  The RCU lookup
 * takes its reference with try_get_ioctx(), which fails on a context whose
 * count already dropped to zero.
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

static int try_get_ioctx(struct kioctx *kioctx)
{
	return kref_get_unless_zero(&kioctx->users);
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
		/* RCU only keeps the memory: the count may already be zero. */
		if (ctx->user_id == ctx_id && !ctx->dead && try_get_ioctx(ctx)) {
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
