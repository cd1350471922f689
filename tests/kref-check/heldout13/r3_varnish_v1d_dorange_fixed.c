/* SPDX-License-Identifier: MIT */
/*
 * Project: varnishcache/varnish-cache
 * Path: bin/varnishd/cache/cache_http1_deliver.c, cache_req_fsm.c
 * Fix commit: 69aecb867a0899607c79f41c0cb031c79e071d04
 * Bug: while delivering a streamed object, v1d_dorange() reads the
 * objcore's busyobj pointer without the objhead lock and without a
 * reference and waits on it, although the fetch thread can clear the
 * pointer and drop the last busyobj reference at any moment.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <kref.h>

struct objhead {
	pthread_mutex_t mtx;
};

struct busyobj;

struct objcore {
	struct objhead *objhead;
	struct busyobj *busyobj;	/* set while fetching, under objhead->mtx */
};

struct busyobj {
	struct kref refcount;		/* changed under fetch_objcore->objhead->mtx */
	struct objcore *fetch_objcore;
};

struct object {
	struct objcore *objcore;
	ssize_t len;
};

struct req {
	struct object *obj;
	const char *range;
	int res_len;
};

/* waits until the fetch has more than l bytes; returns the length so far */
extern ssize_t VBO_waitlen(struct busyobj *bo, ssize_t l);
/* frees the busyobj's workspace and storage */
extern void vbo_free(struct busyobj *bo);

static void vbo_release(struct kref *kref)
{
	vbo_free(container_of(kref, struct busyobj, refcount));
}

void VBO_DerefBusyObj(struct busyobj **pbo)
{
	struct busyobj *bo = *pbo;
	struct objhead *oh = bo->fetch_objcore->objhead;

	*pbo = NULL;
	pthread_mutex_lock(&oh->mtx);
	kref_put(&bo->refcount, vbo_release);
	pthread_mutex_unlock(&oh->mtx);
}

/* fetch thread: the body is complete, detach the busyobj */
void HSH_Complete(struct objcore *oc)
{
	pthread_mutex_lock(&oc->objhead->mtx);
	oc->busyobj = NULL;
	pthread_mutex_unlock(&oc->objhead->mtx);
}

struct busyobj *HSH_RefBusy(const struct objcore *oc)
{
	struct objhead *oh = oc->objhead;
	struct busyobj *bo;

	pthread_mutex_lock(&oh->mtx);
	bo = oc->busyobj;
	if (bo != NULL)
		kref_get(&bo->refcount);
	pthread_mutex_unlock(&oh->mtx);
	return bo;
}

static ssize_t v1d_dorange(struct req *req, struct busyobj *bo, const char *r)
{
	ssize_t len;

	/* snapshot the length if we are streaming from the backend */
	if (bo != NULL)
		len = VBO_waitlen(bo, -1);
	else
		len = req->obj->len;

	if (strncmp(r, "bytes=", 6))
		return -1;
	return len;
}

void V1D_Deliver(struct req *req, struct busyobj *bo)
{
	if (bo == NULL)
		req->res_len = 1;
	if (req->range != NULL)
		(void)v1d_dorange(req, bo, req->range);
}

void cnt_deliver(struct req *req)
{
	struct busyobj *bo;

	/* hold a reference on the busyobj, if any, for the whole delivery */
	bo = HSH_RefBusy(req->obj->objcore);
	V1D_Deliver(req, bo);
	if (bo != NULL)
		VBO_DerefBusyObj(&bo);
}
