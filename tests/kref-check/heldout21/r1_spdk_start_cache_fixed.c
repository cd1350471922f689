/* SPDX-License-Identifier: MIT */
/*
 * Project:    spdk/spdk
 * Path:       module/bdev/ocf/vbdev_ocf.c
 * Fix commit: 1350922d09e7e2d9abd4c25743cb850fdedf269f
 * Bug:        start_cache() lets a vbdev_ocf share the ocf_cache started by
 *             another vbdev_ocf by copying the pointer into vbdev->ocf_cache
 *             without a reference, so the other vbdev's ocf_mngt_cache_stop()
 *             at shutdown frees the cache while this vbdev still points to it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

struct ocf_cache {
	struct kref ref;
	bool running;
	void *priv;
};
typedef struct ocf_cache *ocf_cache_t;

struct vbdev_ocf_cache_ctx;

struct vbdev_ocf {
	const char *name;
	const char *cache_name;
	bool doing_finish;
	int stop_status;
	ocf_cache_t ocf_cache;
	struct vbdev_ocf_cache_ctx *cache_ctx;
	struct vbdev_ocf *next;		/* g_ocf_vbdev_head */
};

static struct vbdev_ocf *g_ocf_vbdev_head;
static bool g_fini_started;

/* takes a reference on the cache context shared by the vbdevs of one cache */
extern void vbdev_ocf_cache_ctx_get(struct vbdev_ocf_cache_ctx *ctx);
/* drops a reference on the cache context */
extern void vbdev_ocf_cache_ctx_put(struct vbdev_ocf_cache_ctx *ctx);
/* allocates a new cache context with no reference taken yet */
extern struct vbdev_ocf_cache_ctx *vbdev_ocf_cache_ctx_alloc(void);
/* runs the next step of the management operation in progress */
extern void vbdev_ocf_mngt_continue(struct vbdev_ocf *vbdev, int status);
/* stops the management operation with an error */
extern void vbdev_ocf_mngt_exit(struct vbdev_ocf *vbdev, int status);
/* tells the bdev layer that destruction of the exported bdev is done */
extern void spdk_bdev_destruct_done(struct vbdev_ocf *vbdev, int status);
/* attaches the caching device to a started cache (completes asynchronously) */
extern void ocf_mngt_cache_attach(ocf_cache_t cache, struct vbdev_ocf *vbdev);

static void ocf_cache_free(struct kref *ref)
{
	free(container_of(ref, struct ocf_cache, ref));
}

void ocf_mngt_cache_get(ocf_cache_t cache)
{
	kref_get(&cache->ref);
}

void ocf_mngt_cache_put(ocf_cache_t cache)
{
	kref_put(&cache->ref, ocf_cache_free);
}

/* starts a cache: one reference, which ocf_mngt_cache_stop() drops */
int ocf_mngt_cache_start(ocf_cache_t *cache)
{
	struct ocf_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	kref_init(&c->ref);
	c->running = true;
	*cache = c;
	return 0;
}

void ocf_mngt_cache_stop(ocf_cache_t cache)
{
	cache->running = false;
	ocf_mngt_cache_put(cache);
}

static bool is_ocf_cache_running(struct vbdev_ocf *vbdev)
{
	return vbdev->ocf_cache && vbdev->ocf_cache->running;
}

/* the ocf_cache started by another vbdev on the same cache bdev (borrowed) */
static ocf_cache_t get_other_cache_instance(struct vbdev_ocf *vbdev)
{
	struct vbdev_ocf *cmp;

	for (cmp = g_ocf_vbdev_head; cmp; cmp = cmp->next) {
		if (cmp->doing_finish || cmp == vbdev)
			continue;
		if (strcmp(cmp->cache_name, vbdev->cache_name))
			continue;
		if (is_ocf_cache_running(cmp))
			return cmp->ocf_cache;
	}
	return NULL;
}

void stop_vbdev(struct vbdev_ocf *vbdev)
{
	if (!is_ocf_cache_running(vbdev)) {
		vbdev_ocf_mngt_continue(vbdev, 0);
		return;
	}
	if (!g_fini_started && get_other_cache_instance(vbdev)) {
		/* still used by another vbdev: leave it running */
		vbdev_ocf_mngt_continue(vbdev, 0);
		return;
	}
	ocf_mngt_cache_stop(vbdev->ocf_cache);
	vbdev_ocf_mngt_continue(vbdev, 0);
}

void unregister_finish(struct vbdev_ocf *vbdev)
{
	spdk_bdev_destruct_done(vbdev, vbdev->stop_status);
	ocf_mngt_cache_put(vbdev->ocf_cache);
	vbdev_ocf_cache_ctx_put(vbdev->cache_ctx);
	vbdev_ocf_mngt_continue(vbdev, 0);
}

void start_cache(struct vbdev_ocf *vbdev)
{
	ocf_cache_t existing;
	int rc;

	if (is_ocf_cache_running(vbdev)) {
		vbdev_ocf_mngt_exit(vbdev, -EALREADY);
		return;
	}

	existing = get_other_cache_instance(vbdev);
	if (existing) {
		/* connect to the cache device another vbdev started */
		vbdev->ocf_cache = existing;
		ocf_mngt_cache_get(vbdev->ocf_cache);
		vbdev->cache_ctx = existing->priv;
		vbdev_ocf_cache_ctx_get(vbdev->cache_ctx);
		vbdev_ocf_mngt_continue(vbdev, 0);
		return;
	}

	vbdev->cache_ctx = vbdev_ocf_cache_ctx_alloc();
	if (vbdev->cache_ctx == NULL) {
		vbdev_ocf_mngt_exit(vbdev, -ENOMEM);
		return;
	}
	vbdev_ocf_cache_ctx_get(vbdev->cache_ctx);

	rc = ocf_mngt_cache_start(&vbdev->ocf_cache);
	if (rc) {
		vbdev_ocf_mngt_exit(vbdev, rc);
		return;
	}
	ocf_mngt_cache_get(vbdev->ocf_cache);

	vbdev->ocf_cache->priv = vbdev->cache_ctx;
	ocf_mngt_cache_attach(vbdev->ocf_cache, vbdev);
}
