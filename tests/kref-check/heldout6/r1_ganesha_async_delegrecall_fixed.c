/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: nfs-ganesha/nfs-ganesha commit
 * 839d44d7e24a2692d0af7b0357ab2179bcf13d9a "FSAL_UP: prevent races when
 * doing an async deleg recall", src/FSAL_UP/fsal_up_async.c,
 * async_delegrecall() and queue_delegrecall().  The upcall submits the
 * delegation recall to a fridge thread with the object handle as the job's
 * argument and no reference on it; under load the job runs late, after the
 * handle has been freed ("The handle passed to the async thread may be
 * free'd before it is executed").  The fix gets a reference before
 * fridgethr_submit(), put by the job when done, or at once when the submit
 * fails.  The object handle's refcount is written with a kref.
 */
#include <stdlib.h>
#include <kref.h>

struct fsal_obj_handle { struct kref refcount; };
struct fridgethr;
struct fridgethr_context { void *arg; };

/* Queues func(ctx) with ctx->arg = arg on a thread of fr; 0 if queued. */
extern int fridgethr_submit(struct fridgethr *fr, void (*func)(struct fridgethr_context *), void *arg);
/* Sends CB_RECALL for every delegation on obj. */
extern int delegrecall_impl(struct fsal_obj_handle *obj);

static void mdcache_obj_free(struct kref *ref)
{
	free(container_of(ref, struct fsal_obj_handle, refcount));
}

void obj_put_ref(struct fsal_obj_handle *obj)
{
	kref_put(&obj->refcount, mdcache_obj_free);
}

static void queue_delegrecall(struct fridgethr_context *ctx)
{
	struct fsal_obj_handle *obj = ctx->arg;

	(void)delegrecall_impl(obj);
	obj_put_ref(obj);
}

int async_delegrecall(struct fridgethr *fr, struct fsal_obj_handle *obj)
{
	int rc;

	/* get a ref to prevent races when delegrecall is called too late */
	kref_get(&obj->refcount);
	rc = fridgethr_submit(fr, queue_delegrecall, obj);
	if (rc != 0)
		obj_put_ref(obj);
	return rc;
}
