/* SPDX-License-Identifier: MIT */
/* Rule 3: a worker uses the session's current route with no lock and no
 * reference, while detach() replaces it under the session lock and puts
 * the old one: the route can be freed while the worker uses it. */
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
	struct route *r = s->route;

	if (r)
		route_send(r, buf, len); /* expect: rule 3 */
}
