/* SPDX-License-Identifier: MIT */
/* Rule 2: a reference taken on a found region is put on the way out,
 * except on the error path: the paths disagree, one of them leaks. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct region { struct kref ref; long start; void *addr; int busy; };
struct cache { pthread_mutex_t lock; void *tree; };

/* The region that covers addr, or NULL; no reference. */
extern struct region *tree_lookup(void *tree, long addr);
extern int region_copy(struct region *r, void *dst);

static void region_release(struct kref *ref)
{
	free(container_of(ref, struct region, ref));
}

int copy_from(struct cache *c, long addr, void *dst)
{
	struct region *r;
	int ret;

	pthread_mutex_lock(&c->lock);
	r = tree_lookup(c->tree, addr);
	if (!r) {
		pthread_mutex_unlock(&c->lock);
		return -1;
	}
	kref_get(&r->ref);
	pthread_mutex_unlock(&c->lock);
	if (r->busy)
		return -2;	/* expect: rule 2 */
	ret = region_copy(r, dst);
	kref_put(&r->ref, region_release);
	return ret;
}
