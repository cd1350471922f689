/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: freebsd/freebsd-src, review
 * D52608 ("It is not safe to modify the vnode structure after releasing
 * one's reference"; reported by syzbot), sys/kern/vfs_subr.c, vput().  vput() dropped its
 * use reference and then went on to unlock the vnode: once the reference
 * is released another thread can take the vnode to its final release and
 * free it.  The fix unlocks before the release, and uses
 * refcount_release_if_last() to keep the lock only when this is the last
 * reference.  v_usecount written with struct kref, the vnode lock with a
 * pthread mutex.
 */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

struct vnode {
	struct kref v_usecount;
	pthread_mutex_t v_lock;
	int v_iflag;
};

/* Deactivates the vnode and returns it to the free list. */
extern void vput_final_work(struct vnode *vp);

static void vput_final(struct kref *ref)
{
	struct vnode *vp = container_of(ref, struct vnode, v_usecount);

	vput_final_work(vp);
	free(vp);
}

static void VOP_UNLOCK(struct vnode *vp)
{
	pthread_mutex_unlock(&vp->v_lock);
}

void vput(struct vnode *vp)
{
	if (kref_put(&vp->v_usecount, vput_final))
		return;
	VOP_UNLOCK(vp); /* expect: rule 2 */
}
