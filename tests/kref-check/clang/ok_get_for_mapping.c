/* SPDX-License-Identifier: MIT */
/* Rule 2, correct: map() takes a reference on the region whose tree node
 * it finds, for the mapping it hands out, and unmap() finds the region
 * again and puts it.  No path of map() puts its get: the reference is the
 * mapping's. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct node { long start, end; };
struct region { struct node node; struct kref ref; void *addr; };
struct cache { pthread_mutex_t lock; void *tree; };

/* The node that covers addr, or NULL. */
extern struct node *tree_lookup(void *tree, long addr);

static void region_release(struct kref *ref)
{
	free(container_of(ref, struct region, ref));
}

void *map(struct cache *c, long addr)
{
	struct node *n;
	void *p = NULL;

	pthread_mutex_lock(&c->lock);
	n = tree_lookup(c->tree, addr);
	if (n) {
		struct region *r = container_of(n, struct region, node);

		kref_get(&r->ref);
		p = r->addr;
	}
	pthread_mutex_unlock(&c->lock);
	return p;
}

void unmap(struct cache *c, long addr)
{
	struct node *n;

	pthread_mutex_lock(&c->lock);
	n = tree_lookup(c->tree, addr);
	if (n)
		kref_put(&container_of(n, struct region, node)->ref, region_release);
	pthread_mutex_unlock(&c->lock);
}
