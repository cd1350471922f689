/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 1bcab12521d9b23dbaa22ac71184778dcc43e2f6 "afs: Fix permit refcounting",
 * fs/afs/security.c, afs_cache_permit().  Two of the four faults it fixed:
 * the allocation-failure return left without putting the 'permits' it had
 * taken a reference on, and 'permits' was put twice on the way out.
 */
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct afs_permits { struct kref usage; int nr_permits; };
struct afs_vnode { struct mutex io_lock; struct afs_permits *permit_cache; };

static void afs_permits_release(struct kref *ref)
{
	kfree(container_of(ref, struct afs_permits, usage));
}

static void afs_put_permits(struct afs_permits *permits)
{
	kref_put(&permits->usage, afs_permits_release);
}

int afs_cache_permit(struct afs_vnode *vnode)
{
	struct afs_permits *permits, *replacement;

	mutex_lock(&vnode->io_lock);
	permits = vnode->permit_cache;
	if (permits)
		kref_get(&permits->usage);
	mutex_unlock(&vnode->io_lock);
	if (!permits)
		return 0;

	replacement = kzalloc(sizeof(*replacement), GFP_KERNEL);
	if (!replacement)
		return -ENOMEM;	/* expect: rule 2 */
	kref_init(&replacement->usage);
	replacement->nr_permits = permits->nr_permits + 1;
	afs_put_permits(permits);

	mutex_lock(&vnode->io_lock);
	if (vnode->permit_cache == permits) {
		vnode->permit_cache = replacement;
		replacement = NULL;
	}
	mutex_unlock(&vnode->io_lock);
	afs_put_permits(permits);
	if (replacement)
		afs_put_permits(replacement);
	return 0;
}
