/* SPDX-License-Identifier: MIT */
/*
 * Project: openucx/ucx
 * Path: src/uct/cuda/cuda_ipc/cuda_ipc_cache.c
 * Fix commit: 91e89d8625d40b1ef2cea0d3db5b2ffb931e57af
 *   ("UCT/CUDA_IPC: Use atomic add/sub to update refcount under read lock;
 *   use write lock when updating cache")
 * Bug: uct_cuda_ipc_unmap_memhandle() drops a region's count, and on the
 * last put removes the region from the page table and frees it, under the
 * cache's read lock only, the lock that uct_cuda_ipc_map_memhandle() also
 * takes in read mode to look the region up and take a reference; the
 * lookup-and-get is not serialized against the final put.
 *
 * Written for libkref's held-out set: a reconstruction on struct kref, not
 * UCX's code.  The cache is shown in its uncached mode (a region lives as
 * long as transfers use it).
 */
#include <kref.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef int ucs_status_t;
#define UCS_OK			0
#define UCS_ERR_NO_MEMORY	(-4)

typedef struct ucs_pgt_region {
	uintptr_t start;
	uintptr_t end;
} ucs_pgt_region_t;

typedef struct ucs_pgtable ucs_pgtable_t;

/* Finds the region that covers @address; returns a borrowed pointer. */
extern ucs_pgt_region_t *ucs_pgtable_lookup(ucs_pgtable_t *pgtable,
					    uintptr_t address);
/* Links @region into the page table (which takes no reference). */
extern ucs_status_t ucs_pgtable_insert(ucs_pgtable_t *pgtable,
				       ucs_pgt_region_t *region);
/* Unlinks @region from the page table. */
extern ucs_status_t ucs_pgtable_remove(ucs_pgtable_t *pgtable,
				       ucs_pgt_region_t *region);

typedef struct uct_cuda_ipc_key {
	uintptr_t d_bptr;
	size_t b_len;
	char ph[64];		/* the CUDA IPC memory handle */
} uct_cuda_ipc_key_t;

/* Opens the peer's memory handle, mapping it at *@mapped_addr. */
extern ucs_status_t uct_cuda_ipc_open_memhandle(const uct_cuda_ipc_key_t *key,
						void **mapped_addr);
/* Closes a mapping opened by uct_cuda_ipc_open_memhandle(). */
extern ucs_status_t uct_cuda_ipc_close_memhandle(void *mapped_addr);

typedef struct uct_cuda_ipc_cache {
	pthread_rwlock_t lock;
	ucs_pgtable_t *pgtable;
	const char *name;
} uct_cuda_ipc_cache_t;

typedef struct uct_cuda_ipc_cache_region {
	ucs_pgt_region_t super;
	uct_cuda_ipc_cache_t *cache;
	uct_cuda_ipc_key_t key;
	void *mapped_addr;
	struct kref refcount;	/* in-flight transfers using the mapping */
} uct_cuda_ipc_cache_region_t;

/* Last put: called with cache->lock held by the putter. */
static void uct_cuda_ipc_cache_region_release(struct kref *kref)
{
	uct_cuda_ipc_cache_region_t *region =
		container_of(kref, uct_cuda_ipc_cache_region_t, refcount);

	ucs_pgtable_remove(region->cache->pgtable, &region->super);
	uct_cuda_ipc_close_memhandle(region->mapped_addr);
	free(region);
}

ucs_status_t uct_cuda_ipc_unmap_memhandle(void *rem_cache, uintptr_t d_bptr,
					  void *mapped_addr)
{
	uct_cuda_ipc_cache_t *cache = rem_cache;
	ucs_pgt_region_t *pgt_region;
	uct_cuda_ipc_cache_region_t *region;

	(void)mapped_addr;
	/* exclusive: the last put unlinks the region */
	pthread_rwlock_wrlock(&cache->lock);
	pgt_region = ucs_pgtable_lookup(cache->pgtable, d_bptr);
	region = container_of(pgt_region, uct_cuda_ipc_cache_region_t, super);

	/* this transfer is done with the mapping */
	kref_put(&region->refcount, uct_cuda_ipc_cache_region_release);

	pthread_rwlock_unlock(&cache->lock);
	return UCS_OK;
}

ucs_status_t uct_cuda_ipc_map_memhandle(void *arg, uct_cuda_ipc_key_t *key,
					void **mapped_addr)
{
	uct_cuda_ipc_cache_t *cache = arg;
	ucs_pgt_region_t *pgt_region;
	uct_cuda_ipc_cache_region_t *region;
	ucs_status_t status;

	pthread_rwlock_rdlock(&cache->lock);
	pgt_region = ucs_pgtable_lookup(cache->pgtable, key->d_bptr);
	if (pgt_region != NULL) {
		region = container_of(pgt_region, uct_cuda_ipc_cache_region_t,
				      super);
		if (memcmp(key->ph, region->key.ph, sizeof(key->ph)) == 0) {
			/* cache hit */
			*mapped_addr = region->mapped_addr;
			kref_get(&region->refcount);
			pthread_rwlock_unlock(&cache->lock);
			return UCS_OK;
		}
	}
	pthread_rwlock_unlock(&cache->lock);

	/* create a new cache entry */
	region = calloc(1, sizeof(*region));
	if (region == NULL)
		return UCS_ERR_NO_MEMORY;
	status = uct_cuda_ipc_open_memhandle(key, &region->mapped_addr);
	if (status != UCS_OK) {
		free(region);
		return status;
	}
	region->super.start = key->d_bptr;
	region->super.end = key->d_bptr + key->b_len;
	region->cache = cache;
	region->key = *key;
	kref_init(&region->refcount);	/* the caller's transfer */

	pthread_rwlock_wrlock(&cache->lock);
	status = ucs_pgtable_insert(cache->pgtable, &region->super);
	if (status != UCS_OK) {
		pthread_rwlock_unlock(&cache->lock);
		uct_cuda_ipc_close_memhandle(region->mapped_addr);
		free(region);
		return status;
	}
	*mapped_addr = region->mapped_addr;
	pthread_rwlock_unlock(&cache->lock);
	return UCS_OK;
}
