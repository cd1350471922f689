/* SPDX-License-Identifier: MIT */
/* Correct: the watch list holds a reference of its own; removing the
 * watch drops that one, only when the watch was on the list, and the
 * caller's reference keeps it alive for the rest of the function. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct watch { struct kref ref; int armed; char *feeds; };

static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;

/* Unlinks the watch from the watch list; nonzero if it was there. */
extern int watchlist_remove(struct watch *w);

static void watch_release(struct kref *ref)
{
	free(container_of(ref, struct watch, ref));
}

static void watch_put(struct watch *w)
{
	if (w)
		kref_put(&w->ref, watch_release);
}

/* @w: the caller's reference, still the caller's after the call. */
void watch_remove(struct watch *w)
{
	pthread_mutex_lock(&watch_lock);
	if (watchlist_remove(w))
		watch_put(w);	/* the list's reference */
	pthread_mutex_unlock(&watch_lock);
	free(w->feeds);
	w->feeds = NULL;
	w->armed = 0;
}
