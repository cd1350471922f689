/* SPDX-License-Identifier: MIT */
/*
 * Source: GlusterFS, commit e3382eacfc4491ade215439122d072738b48ebeb
 * ("dht: Synchronize layout_(ref|unref) during layout_(get|set) in dht
 * co..." (#3263), fixes issue #3262), xlators/cluster/dht/src/dht-layout.c,
 * dht-helper.c, dht-common.c.
 * A directory's DHT layout hangs off the inode's per-translator context;
 * dht_layout_get() hands callers a referenced layout, and dht_layout_set()
 * replaces it and drops the reference the context held on the old one.
 */
#include <kref.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#define GF_MAX_XLATORS 64

typedef struct _inode {
	pthread_mutex_t lock;
	uint64_t ctx[GF_MAX_XLATORS];
} inode_t;

typedef struct _dht_conf {
	pthread_mutex_t layout_lock;
	int dir_spread_cnt;
} dht_conf_t;

typedef struct _xlator {
	const char *name;
	int xl_id;
	dht_conf_t *private;
} xlator_t;

struct layout_entry {
	uint32_t start;
	uint32_t stop;
	xlator_t *xlator;
};

typedef struct _dht_layout {
	struct kref ref;
	int cnt;
	int type;
	struct layout_entry list[];
} dht_layout_t;

typedef struct _dht_inode_ctx {
	dht_layout_t *layout;
} dht_inode_ctx_t;

/* libglusterfs/src/inode.c: the per-xlator context slots, under inode->lock */
static int __inode_ctx_get(inode_t *inode, xlator_t *xl, uint64_t *value)
{
	if (!inode->ctx[xl->xl_id])
		return -1;
	*value = inode->ctx[xl->xl_id];
	return 0;
}

static int __inode_ctx_set0(inode_t *inode, xlator_t *xl, uint64_t *value)
{
	inode->ctx[xl->xl_id] = *value;
	return 0;
}

int inode_ctx_get(inode_t *inode, xlator_t *xl, uint64_t *value)
{
	int ret;

	pthread_mutex_lock(&inode->lock);
	ret = __inode_ctx_get(inode, xl, value);
	pthread_mutex_unlock(&inode->lock);

	return ret;
}

int inode_ctx_set(inode_t *inode, xlator_t *xl, uint64_t *value)
{
	int ret;

	pthread_mutex_lock(&inode->lock);
	ret = __inode_ctx_set0(inode, xl, value);
	pthread_mutex_unlock(&inode->lock);

	return ret;
}

static void dht_layout_release(struct kref *ref)
{
	dht_layout_t *layout = container_of(ref, dht_layout_t, ref);

	free(layout);
}

void dht_layout_unref(dht_layout_t *layout)
{
	if (!layout)
		return;

	kref_put(&layout->ref, dht_layout_release);
}

dht_layout_t *dht_layout_ref(dht_layout_t *layout)
{
	kref_get(&layout->ref);

	return layout;
}

int dht_inode_ctx_layout_get(inode_t *inode, xlator_t *this, dht_layout_t **layout)
{
	dht_inode_ctx_t *ctx = NULL;
	int ret = -1;
	uint64_t ctx_int = 0;

	pthread_mutex_lock(&inode->lock);
	{
		ret = __inode_ctx_get(inode, this, &ctx_int);
		if (!ret) {
			ctx = (dht_inode_ctx_t *)(uintptr_t)ctx_int;
			if (ctx && ctx->layout) {
				if (layout) {
					*layout = ctx->layout;
					dht_layout_ref(ctx->layout);
				}
			} else {
				ret = -1;
			}
		}
	}
	pthread_mutex_unlock(&inode->lock);

	return ret;
}

int dht_inode_ctx_layout_set(inode_t *inode, xlator_t *this, dht_layout_t *layout_int)
{
	dht_inode_ctx_t *ctx = NULL;
	int ret = -1;
	uint64_t ctx_int = 0;
	dht_layout_t *old_layout = NULL;

	pthread_mutex_lock(&inode->lock);
	{
		ret = __inode_ctx_get(inode, this, &ctx_int);
		if (!ret) {
			ctx = (dht_inode_ctx_t *)(uintptr_t)ctx_int;
			if (ctx) {
				old_layout = ctx->layout;
				ctx->layout = layout_int;
			}
		}

		if (!ctx) {
			ctx = calloc(1, sizeof(*ctx));
			if (ctx) {
				ctx->layout = layout_int;
				ctx_int = (uintptr_t)ctx;
				ret = __inode_ctx_set0(inode, this, &ctx_int);
				if (ret)
					free(ctx);
			} else {
				ret = -1;
			}
		}
		if (!ret && layout_int)
			dht_layout_ref(ctx->layout);
	}
	pthread_mutex_unlock(&inode->lock);

	if (old_layout)
		dht_layout_unref(old_layout);

	return ret;
}

dht_layout_t *dht_layout_get(xlator_t *this, inode_t *inode)
{
	dht_layout_t *layout = NULL;

	dht_inode_ctx_layout_get(inode, this, &layout);

	return layout;
}

int dht_layout_set(xlator_t *this, inode_t *inode, dht_layout_t *layout)
{
	dht_conf_t *conf = NULL;
	int ret = -1;

	conf = this->private;
	if (!conf || !layout)
		goto out;

	ret = dht_inode_ctx_layout_set(inode, this, layout);

out:
	return ret;
}
