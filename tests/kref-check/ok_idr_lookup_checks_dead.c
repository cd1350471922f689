/* SPDX-License-Identifier: MIT */
/* Correct: kernel style.  vdev_get_by_minor() finds a video node in the
 * minor idr under minors_lock, takes the node's own mutex and gets the
 * node only if it is not marked dead.  vdev_unregister() marks it dead
 * under that mutex before it drops the registration's reference, so
 * the unlocked final put (whose release takes minors_lock to free the
 * minor) never races a get that could revive it. */
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct vnode {
	struct kref kref;
	struct mutex state_lock;
	bool dead;
	int minor;
};

static struct idr *minors;
static DEFINE_MUTEX(minors_lock);

extern void *idr_find(struct idr *idr, unsigned long id);
extern void *idr_remove(struct idr *idr, unsigned long id);

static void vnode_release(struct kref *kref)
{
	struct vnode *vn = container_of(kref, struct vnode, kref);

	mutex_lock(&minors_lock);
	idr_remove(minors, vn->minor);
	mutex_unlock(&minors_lock);
	kfree(vn);
}

void vnode_put(struct vnode *vn)
{
	kref_put(&vn->kref, vnode_release);
}

void vdev_unregister(struct vnode *vn)
{
	mutex_lock(&vn->state_lock);
	vn->dead = true;
	mutex_unlock(&vn->state_lock);
	vnode_put(vn);
}

struct vnode *vdev_get_by_minor(int minor)
{
	struct vnode *vn;

	mutex_lock(&minors_lock);
	vn = idr_find(minors, minor);
	if (vn) {
		mutex_lock(&vn->state_lock);
		if (vn->dead) {
			mutex_unlock(&vn->state_lock);
			vn = NULL;
		} else {
			kref_get(&vn->kref);
			mutex_unlock(&vn->state_lock);
		}
	}
	mutex_unlock(&minors_lock);
	return vn;
}
