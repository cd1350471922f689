/* SPDX-License-Identifier: MIT */
/* Rule 2, correct: map() takes a reference on the region it finds for the
 * mapping it hands out, and unmap() finds the region again and puts it.
 * No path of map() puts its get: the reference is the mapping's. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct region { struct kref ref; long start; void *addr; };
struct cache { pthread_mutex_t lock; void *tree; };

/* The region that covers addr, or NULL: the tree's. */
extern struct region *tree_lookup(void *tree, long addr);

static void region_release(struct kref *ref)
{
	free(container_of(ref, struct region, ref));
}

void *map(struct cache *c, long addr)
{
	struct region *r;
	void *p = NULL;

	pthread_mutex_lock(&c->lock);
	r = tree_lookup(c->tree, addr);
	if (r) {
		kref_get(&r->ref);
		p = r->addr;
	}
	pthread_mutex_unlock(&c->lock);
	return p;
}

void unmap(struct cache *c, long addr)
{
	struct region *r;

	pthread_mutex_lock(&c->lock);
	r = tree_lookup(c->tree, addr);
	if (r)
		kref_put(&r->ref, region_release);
	pthread_mutex_unlock(&c->lock);
}
