/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 11dfe35a0108097f2df1f042c485fa7f758c2cdf "Btrfs: fix possible panic on
 * unmount", fs/btrfs/extent-tree.c, cache_block_group() and
 * caching_kthread().  The caching kthread was started on the block group
 * with no reference of its own: the allocator that asked for caching drops
 * its reference once it moves on to the next block group, and unmount can
 * free the group while the thread still scans it.  The fix takes a
 * reference (btrfs_get_block_group) before kthread_run() and drops it at
 * the end of caching_kthread().  The group's atomic count written with a
 * kref; pre- and post-fix code read in copies of fs/btrfs/extent-tree.c.
 */
#include <stdlib.h>
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

#define BUG() abort()

enum btrfs_caching_type { BTRFS_CACHE_NO, BTRFS_CACHE_STARTED, BTRFS_CACHE_FINISHED };

struct btrfs_caching_control;

struct btrfs_block_group_cache {
	struct kref count;
	spinlock_t lock;
	int cached;
	unsigned long long objectid;
	struct btrfs_caching_control *caching_ctl;
};

/* Walks the extent tree and fills the group's free-space cache. */
extern int load_extent_tree_free(struct btrfs_block_group_cache *block_group);
extern struct btrfs_caching_control *alloc_caching_control(struct btrfs_block_group_cache *cache);
extern void put_caching_control(struct btrfs_caching_control *ctl);

static void btrfs_block_group_release(struct kref *kref)
{
	kfree(container_of(kref, struct btrfs_block_group_cache, count));
}

void btrfs_get_block_group(struct btrfs_block_group_cache *cache)
{
	kref_get(&cache->count);
}

void btrfs_put_block_group(struct btrfs_block_group_cache *cache)
{
	kref_put(&cache->count, btrfs_block_group_release);
}

static int caching_kthread(void *data)
{
	struct btrfs_block_group_cache *block_group = data;
	struct btrfs_caching_control *caching_ctl = block_group->caching_ctl;

	load_extent_tree_free(block_group);

	spin_lock(&block_group->lock);
	block_group->caching_ctl = NULL;
	block_group->cached = BTRFS_CACHE_FINISHED;
	spin_unlock(&block_group->lock);

	put_caching_control(caching_ctl);
	btrfs_put_block_group(block_group);
	return 0;
}

int cache_block_group(struct btrfs_block_group_cache *cache)
{
	struct btrfs_caching_control *caching_ctl;
	struct task_struct *tsk;

	caching_ctl = alloc_caching_control(cache);
	if (!caching_ctl)
		return -ENOMEM;

	spin_lock(&cache->lock);
	if (cache->cached != BTRFS_CACHE_NO) {
		spin_unlock(&cache->lock);
		put_caching_control(caching_ctl);
		return 0;
	}
	cache->caching_ctl = caching_ctl;
	cache->cached = BTRFS_CACHE_STARTED;
	spin_unlock(&cache->lock);

	btrfs_get_block_group(cache);

	tsk = kthread_run(caching_kthread, cache, "btrfs-cache-%llu", cache->objectid);
	if (IS_ERR(tsk)) {
		pr_err("error running thread %ld\n", PTR_ERR(tsk));
		BUG();
	}
	return 0;
}
