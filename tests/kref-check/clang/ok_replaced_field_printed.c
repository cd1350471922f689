/* SPDX-License-Identifier: MIT */
/* Kept: a debug trace prints only the pointer's value (no
 * dereference) of the current profile; nothing reads the object. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <kref.h>

struct profile { struct kref ref; int level; };
struct session { pthread_mutex_t lock; struct profile *profile; int id; };

static void profile_free(struct kref *ref)
{
	free(container_of(ref, struct profile, ref));
}

void session_trace(struct session *s)
{
	fprintf(stderr, "session %d: profile %p\n", s->id, s->profile);
}

void session_set_profile(struct session *s, struct profile *p)
{
	struct profile *old;

	kref_get(&p->ref);
	pthread_mutex_lock(&s->lock);
	old = s->profile;
	s->profile = p;
	pthread_mutex_unlock(&s->lock);
	kref_put(&old->ref, profile_free);
}
