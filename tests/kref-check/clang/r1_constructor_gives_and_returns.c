/* SPDX-License-Identifier: MIT */
/* Rule 1: the constructor gives the worker's one reference to the idle
 * callback, and returns the worker as its caller's reference too: when
 * the callback drops its reference, the caller's pointer dangles. */
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
	source_set_callback(idle_source_new(), worker_initial_read, w, worker_unref);	/* expect: rule 1 */
	return w;
}
