/* SPDX-License-Identifier: MIT */
/* Rule 2: plain C with pthreads.  The expiry handler drops the client's
 * reference on its session but leaves client->sess pointing at it; logout
 * puts client->sess whenever it is set, so after an expiry it puts the
 * (maybe freed) session a second time. */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

struct session { struct kref ref; long deadline; };

struct client {
	pthread_mutex_t lock;
	struct session *sess;
	int expired;
};

static void session_free(struct kref *ref)
{
	free(container_of(ref, struct session, ref));
}

static void session_put(struct session *s)
{
	kref_put(&s->ref, session_free);
}

void client_logout(struct client *c)
{
	pthread_mutex_lock(&c->lock);
	if (c->sess) {
		session_put(c->sess);
		c->sess = NULL;
	}
	pthread_mutex_unlock(&c->lock);
}

void client_on_expire(struct client *c)
{
	pthread_mutex_lock(&c->lock);
	session_put(c->sess);	/* expect: rule 2 */
	c->expired = 1;
	pthread_mutex_unlock(&c->lock);
}
