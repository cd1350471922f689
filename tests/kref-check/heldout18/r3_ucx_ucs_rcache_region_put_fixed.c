/* SPDX-License-Identifier: MIT */
/*
 * Project: openucx/ucx
 * Path: src/ucs/sys/rcache.c
 * Fix: 7c7b531431a62d25e544bfad62f23bd0d5752fb8
 * Bug: ucs_rcache_region_put() dropped the region's count without the
 * rcache lock that ucs_rcache_get() holds while it looks a region up in
 * the page table and holds it, and only took that lock afterwards to
 * unlink and destroy the region, so a lookup could hold a region whose
 * count had already reached zero.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <kref.h>

typedef int ucs_status_t;
#define UCS_OK			0
#define UCS_ERR_NO_ELEM		(-12)

typedef struct ucs_rcache ucs_rcache_t;

typedef struct ucs_rcache_region {
	struct kref	refcount;	/* users; the page table holds none */
	unsigned long	start;
	unsigned long	end;
	int		prot;
	ucs_rcache_t	*rcache;
} ucs_rcache_region_t;

struct ucs_rcache {
	pthread_rwlock_t lock;		/* protects the page table */
	void		*pgtable;
};

/* looks the address up in the page table; returns a borrowed pointer */
extern ucs_rcache_region_t *ucs_pgtable_lookup(void *pgtable, unsigned long addr);
/* unlinks the region from the page table */
extern void ucs_pgtable_remove(void *pgtable, ucs_rcache_region_t *region);
/* deregisters the region's memory with the transport */
extern void ucs_rcache_mem_dereg(ucs_rcache_t *rcache, ucs_rcache_region_t *region);
/* slow path: takes the write lock, creates and inserts a region, returns it held */
extern ucs_status_t ucs_rcache_create_region(ucs_rcache_t *rcache, void *address,
					     size_t length, int prot,
					     ucs_rcache_region_t **region_p);

/* Lock must be held in write mode */
static void ucs_rcache_region_invalidate(ucs_rcache_t *rcache,
					 ucs_rcache_region_t *region)
{
	ucs_pgtable_remove(rcache->pgtable, region);
	ucs_rcache_mem_dereg(rcache, region);
	free(region);
}

/* the last put, called with the rcache lock held in write mode */
static void ucs_rcache_region_release(struct kref *kref)
{
	ucs_rcache_region_t *region =
		container_of(kref, ucs_rcache_region_t, refcount);

	ucs_rcache_region_invalidate(region->rcache, region);
}

void ucs_rcache_region_hold(ucs_rcache_t *rcache, ucs_rcache_region_t *region)
{
	(void)rcache;
	kref_get(&region->refcount);
}

ucs_status_t ucs_rcache_get(ucs_rcache_t *rcache, void *address, size_t length,
			    int prot, ucs_rcache_region_t **region_p)
{
	unsigned long start = (unsigned long)address;
	ucs_rcache_region_t *region;

	pthread_rwlock_rdlock(&rcache->lock);
	region = ucs_pgtable_lookup(rcache->pgtable, start);
	if (region != NULL && start + length <= region->end &&
	    (region->prot & prot) == prot) {
		ucs_rcache_region_hold(rcache, region);
		*region_p = region;
		pthread_rwlock_unlock(&rcache->lock);
		return UCS_OK;
	}
	pthread_rwlock_unlock(&rcache->lock);

	return ucs_rcache_create_region(rcache, address, length, prot, region_p);
}

void ucs_rcache_region_put(ucs_rcache_t *rcache, ucs_rcache_region_t *region)
{
	pthread_rwlock_wrlock(&rcache->lock);
	kref_put(&region->refcount, ucs_rcache_region_release);
	pthread_rwlock_unlock(&rcache->lock);
}
