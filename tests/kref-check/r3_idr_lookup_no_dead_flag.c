/* SPDX-License-Identifier: MIT */
/* Rule 3: kernel style.  vdev_get_by_minor() finds a video node in the
 * minor idr under minors_lock and takes a plain reference.  vnode_put()
 * drops the count with no lock; at 0 the release takes minors_lock to
 * free the minor.  Between the two a lookup finds the dying node and
 * revives it.  (Fixed by a dead flag set under the node's mutex before
 * the last put and tested before the get, or by kref_get_unless_zero().)
 * Both halves of the race are marked. */
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct vnode {
	struct kref kref;
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
	kref_put(&vn->kref, vnode_release);	/* expect: rule 3 */
}

void vdev_unregister(struct vnode *vn)
{
	vnode_put(vn);
}

struct vnode *vdev_get_by_minor(int minor)
{
	struct vnode *vn;

	mutex_lock(&minors_lock);
	vn = idr_find(minors, minor);
	if (vn)
		kref_get(&vn->kref);	/* expect: rule 3 */
	mutex_unlock(&minors_lock);
	return vn;
}
