/* SPDX-License-Identifier: MIT */
/* Rule 3: LOCK()/UNLOCK() macros take the lock the final put takes; one
 * lookup skips them. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

static pthread_mutex_t big_lock = PTHREAD_MUTEX_INITIALIZER;
#define LOCK()		pthread_mutex_lock(&big_lock)
#define UNLOCK()	pthread_mutex_unlock(&big_lock)

struct track { struct kref kref; struct track *next; int no; };
static struct track *playlist;

static void track_release(struct kref *kref)
{
	struct track *t = container_of(kref, struct track, kref), **pp;
	for (pp = &playlist; *pp; pp = &(*pp)->next)
		if (*pp == t) { *pp = t->next; break; }
	UNLOCK();
	free(t);
}

static void track_put(struct track *t)
{
	kref_put_mutex(&t->kref, track_release, &big_lock);
}

/* Correct: the macros take big_lock, the lock the final put takes. */
struct track *track_find(int no)
{
	struct track *t;

	LOCK();
	for (t = playlist; t; t = t->next)
		if (t->no == no) {
			kref_get(&t->kref);
			break;
		}
	UNLOCK();
	return t;
}

/* Violation: read and get outside the lock. */
struct track *track_first(void)
{
	struct track *t;

	t = playlist;
	if (t)
		kref_get(&t->kref);	/* expect: rule 3 */
	return t;
}

int track_play(int no)
{
	struct track *t = track_find(no);
	if (!t)
		return -1;
	track_put(t);
	return 0;
}
