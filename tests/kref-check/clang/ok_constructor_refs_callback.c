/* SPDX-License-Identifier: MIT */
/* Correct: the idle callback gets a reference of its own, and the worker
 * is returned with the reference the constructor made. */
#include <stdlib.h>
#include <kref.h>

struct source;
typedef int (*source_fn)(void *data);
typedef void (*destroy_fn)(void *data);

/* Calls fn(data) from the main loop; destroy(data) when the source goes. */
extern void source_set_callback(struct source *s, source_fn fn, void *data, destroy_fn destroy);
extern struct source *idle_source_new(void);

struct worker { struct kref ref; int fd; };

static void worker_release(struct kref *ref)
{
	free(container_of(ref, struct worker, ref));
}

static void worker_unref(void *data)
{
	struct worker *w = data;

	kref_put(&w->ref, worker_release);
}

static int worker_initial_read(void *data)
{
	struct worker *w = data;

	return w->fd;
}

struct worker *worker_new(int fd)
{
	struct worker *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	kref_init(&w->ref);
	w->fd = fd;
	kref_get(&w->ref);
	source_set_callback(idle_source_new(), worker_initial_read, w, worker_unref);
	return w;
}
