/* SPDX-License-Identifier: MIT */
/* The session's profile pointer is replaced under the session's lock, and
 * readers load it and get it under the same lock: the swap cannot drop
 * the last reference between the load and the get. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct profile {
	struct kref ref;
	int level;
};

struct session {
	pthread_mutex_t lock;
	struct profile *profile;	/* the session's reference */
};

static void profile_free(struct kref *ref)
{
	free(container_of(ref, struct profile, ref));
}

static void profile_put(struct profile *p)
{
	kref_put(&p->ref, profile_free);
}

struct profile *session_profile(struct session *s)
{
	struct profile *p;

	pthread_mutex_lock(&s->lock);
	p = s->profile;
	kref_get(&p->ref);
	pthread_mutex_unlock(&s->lock);
	return p;
}

void session_set_profile(struct session *s, struct profile *p)
{
	struct profile *old;

	kref_get(&p->ref);
	pthread_mutex_lock(&s->lock);
	old = s->profile;
	s->profile = p;
	pthread_mutex_unlock(&s->lock);
	profile_put(old);
}
