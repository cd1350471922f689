/* SPDX-License-Identifier: MIT */
/* Correct, kernel style: the mount request takes a reference on both the
 * filesystem context and the credentials it keeps, and its release puts
 * both. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct fs_ctx {
	struct kref kref;
	int flags;
};

struct cred_blob {
	struct kref kref;
	int uid;
};

struct mount_req {
	struct kref kref;
	struct fs_ctx *ctx;
	struct cred_blob *cred;
	int status;
};

static void fs_ctx_release(struct kref *kref)
{
	kfree(container_of(kref, struct fs_ctx, kref));
}

static void cred_release(struct kref *kref)
{
	kfree(container_of(kref, struct cred_blob, kref));
}

void cred_put(struct cred_blob *cred)
{
	kref_put(&cred->kref, cred_release);
}

static void mount_req_release(struct kref *kref)
{
	struct mount_req *req = container_of(kref, struct mount_req, kref);

	kref_put(&req->ctx->kref, fs_ctx_release);
	cred_put(req->cred);
	kfree(req);
}

void mount_req_put(struct mount_req *req)
{
	kref_put(&req->kref, mount_req_release);
}

struct mount_req *mount_req_alloc(struct fs_ctx *ctx, struct cred_blob *cred)
{
	struct mount_req *req = kzalloc(sizeof(*req), GFP_KERNEL);

	if (!req)
		return NULL;
	kref_init(&req->kref);
	kref_get(&ctx->kref);
	req->ctx = ctx;
	kref_get(&cred->kref);
	req->cred = cred;
	return req;
}
