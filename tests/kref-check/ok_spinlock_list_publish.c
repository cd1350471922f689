/* SPDX-License-Identifier: MIT */
/* Correct: publication and lookups under a spinlock that the final put
 * (kref_put_lock) takes. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct sub { struct kref ref; struct sub *next; int topic; };
static struct sub *subs;
static pthread_spinlock_t subs_lock;

static void sub_release(struct kref *ref)
{
	struct sub *s = container_of(ref, struct sub, ref), **pp;
	for (pp = &subs; *pp; pp = &(*pp)->next)
		if (*pp == s) { *pp = s->next; break; }
	pthread_spin_unlock(&subs_lock);
	free(s);
}

static void sub_put(struct sub *s) { kref_put_lock(&s->ref, sub_release, &subs_lock); }

/* Correct: publish under the lock; the list holds the initial reference. */
int subscribe(int topic)
{
	struct sub *s = malloc(sizeof(*s));
	if (!s)
		return -1;
	kref_init(&s->ref);
	s->topic = topic;
	pthread_spin_lock(&subs_lock);
	s->next = subs;
	subs = s;
	pthread_spin_unlock(&subs_lock);
	return 0;
}

/* Correct: deliver to each subscriber, each found and held under the lock. */
int deliver(int topic)
{
	struct sub *s, *hit = NULL;
	pthread_spin_lock(&subs_lock);
	for (s = subs; s; s = s->next)
		if (s->topic == topic) {
			hit = s;
			kref_get(&hit->ref);
			break;
		}
	pthread_spin_unlock(&subs_lock);
	if (!hit)
		return 0;
	sub_put(hit);
	return 1;
}
