/* SPDX-License-Identifier: MIT */
/* Kept: the session's teardown (every thread joined, nobody
 * else can reach the session) logs the profile and drops it. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <kref.h>

struct profile { struct kref ref; int level; char name[16]; };
struct session { pthread_mutex_t lock; struct profile *profile; };

static void profile_free(struct kref *ref)
{
	free(container_of(ref, struct profile, ref));
}

static void profile_put(struct profile *p)
{
	kref_put(&p->ref, profile_free);
}

/* Writes a line about the profile to the log. */
extern void log_profile(const char *what, struct profile *p);

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

void session_destroy(struct session *s)
{
	log_profile("closing", s->profile);
	profile_put(s->profile);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
