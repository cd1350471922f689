/* SPDX-License-Identifier: MIT */
/* Rule 3: a session's profile pointer is replaced under the session's
 * lock, and the replaced profile's reference dropped; a reader that loads
 * the pointer and gets it without that lock can get a profile the swap
 * has just freed. */
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
	struct profile *p = s->profile;

	kref_get(&p->ref);	/* expect: rule 3 */
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
