/* SPDX-License-Identifier: MIT */
/* Rule 2: a reset frees the global object under its lock, while readers
 * may hold references. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct cache { struct kref ref; int entries; };
static struct cache *g_cache;
static pthread_mutex_t g_cache_lock = PTHREAD_MUTEX_INITIALIZER;

static void cache_release(struct kref *ref)
{
	struct cache *c = container_of(ref, struct cache, ref);
	if (g_cache == c)
		g_cache = NULL;
	pthread_mutex_unlock(&g_cache_lock);
	free(c);
}

struct cache *cache_acquire(void)
{
	struct cache *c;
	pthread_mutex_lock(&g_cache_lock);
	c = g_cache;
	if (c)
		kref_get(&c->ref);
	pthread_mutex_unlock(&g_cache_lock);
	return c;
}

void cache_release_ref(struct cache *c)
{
	kref_put_mutex(&c->ref, cache_release, &g_cache_lock);
}

void cache_reset(void)
{
	pthread_mutex_lock(&g_cache_lock);
	free(g_cache);	/* expect: rule 2 */
	g_cache = NULL;
	pthread_mutex_unlock(&g_cache_lock);
}
