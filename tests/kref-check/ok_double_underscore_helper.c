/* SPDX-License-Identifier: MIT */
/* Correct: the __ helper gets under the lock both its callers hold. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct route { struct kref ref; struct route *next; unsigned dst; };
static struct route *routes;
static pthread_rwlock_t routes_lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t routes_put_lock = PTHREAD_MUTEX_INITIALIZER;

static void route_release(struct kref *ref)
{
	struct route *r = container_of(ref, struct route, ref);
	pthread_mutex_unlock(&routes_put_lock);
	free(r);
}

/* Caller holds routes_put_lock. */
static struct route *__route_find(unsigned dst)
{
	struct route *r;
	for (r = routes; r; r = r->next)
		if (r->dst == dst) {
			kref_get(&r->ref);
			return r;
		}
	return NULL;
}

struct route *route_find(unsigned dst)
{
	struct route *r;
	pthread_mutex_lock(&routes_put_lock);
	r = __route_find(dst);
	pthread_mutex_unlock(&routes_put_lock);
	return r;
}

int route_exists(unsigned dst)
{
	struct route *r;
	int found;
	pthread_mutex_lock(&routes_put_lock);
	r = __route_find(dst);
	found = r != NULL;
	pthread_mutex_unlock(&routes_put_lock);
	if (r)
		kref_put_mutex(&r->ref, route_release, &routes_put_lock);
	return found;
}
