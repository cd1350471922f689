/* SPDX-License-Identifier: MIT */
/*
 * Project: OISF/suricata
 * Path: src/detect-engine.c
 * Fix commit: 5c64eed4747b996e8455f2eb127df2f54156e5e9
 * Bug: DetectEngineGetByTenantId() finds a tenant's detect engine in the
 * master list and takes its reference under the master lock, but
 * DetectEngineDeReference() drops references without that lock, so the
 * final put (and the freeing of the engine) is not serialized against a
 * concurrent lookup.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <kref.h>

#define DETECT_ENGINE_TYPE_TENANT 2

typedef struct DetectEngineCtx_ {
	struct kref ref;
	int type;
	uint32_t tenant_id;
	struct DetectEngineCtx_ *next;
} DetectEngineCtx;

typedef struct DetectEngineMasterCtx_ {
	pthread_mutex_t lock;
	DetectEngineCtx *list;
} DetectEngineMasterCtx;

static DetectEngineMasterCtx g_master_de_ctx = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

/* frees the signature groups, pattern matchers, etc. of a detect engine */
extern void DetectEngineCtxFree(DetectEngineCtx *de_ctx);

/* last reference gone: take the engine off the master list and free it */
static void DetectEngineCtxRelease(struct kref *ref)
{
	DetectEngineCtx *de_ctx = container_of(ref, DetectEngineCtx, ref);
	DetectEngineMasterCtx *master = &g_master_de_ctx;
	DetectEngineCtx **pp;

	for (pp = &master->list; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == de_ctx) {
			*pp = de_ctx->next;
			break;
		}
	}
	DetectEngineCtxFree(de_ctx);
}

DetectEngineCtx *DetectEngineGetByTenantId(uint32_t tenant_id)
{
	DetectEngineMasterCtx *master = &g_master_de_ctx;
	DetectEngineCtx *de_ctx;

	pthread_mutex_lock(&master->lock);
	for (de_ctx = master->list; de_ctx != NULL; de_ctx = de_ctx->next) {
		if (de_ctx->type == DETECT_ENGINE_TYPE_TENANT &&
		    de_ctx->tenant_id == tenant_id) {
			kref_get(&de_ctx->ref);
			break;
		}
	}
	pthread_mutex_unlock(&master->lock);
	return de_ctx;
}

/* the master lock serializes the final put against the lookup */
void DetectEngineDeReference(DetectEngineCtx **de_ctx)
{
	DetectEngineMasterCtx *master = &g_master_de_ctx;

	pthread_mutex_lock(&master->lock);
	kref_put(&(*de_ctx)->ref, DetectEngineCtxRelease);
	*de_ctx = NULL;
	pthread_mutex_unlock(&master->lock);
}
