/* SPDX-License-Identifier: MIT */
/* Correct: watch_start() takes the registry's own reference before adding
 * the watcher; the caller then drops its own, and the registry's is put
 * when the watcher is taken out. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct watcher { struct kref ref; int fd; struct watcher *next; };
struct registry { pthread_mutex_t lock; struct watcher *head; };

static struct registry watchers = { PTHREAD_MUTEX_INITIALIZER, NULL };

void registry_add(struct registry *r, struct watcher *w);
struct watcher *registry_pop(struct registry *r);

static void watcher_release(struct kref *ref)
{
	free(container_of(ref, struct watcher, ref));
}

void watcher_put(struct watcher *w)
{
	kref_put(&w->ref, watcher_release);
}

int watch_start(struct watcher *w)
{
	kref_get(&w->ref);
	pthread_mutex_lock(&watchers.lock);
	registry_add(&watchers, w);
	pthread_mutex_unlock(&watchers.lock);
	return 0;
}

int watch_fd(int fd)
{
	struct watcher *w = calloc(1, sizeof(*w));

	if (!w)
		return -1;
	kref_init(&w->ref);
	w->fd = fd;
	watch_start(w);
	watcher_put(w);
	return 0;
}

void watch_stop_all(void)
{
	struct watcher *w;

	pthread_mutex_lock(&watchers.lock);
	while ((w = registry_pop(&watchers)) != NULL)
		watcher_put(w);
	pthread_mutex_unlock(&watchers.lock);
}
