/* SPDX-License-Identifier: MIT */
/* Rule 2: the watch is registered with a reference for the timer, which
 * the timer's destroy function puts when the timer is removed; the tick
 * callback puts it as well, so the count drops twice. */
#include <stdlib.h>
#include <kref.h>

struct watch { struct kref ref; int fd; int misses; };

/* Calls fn(data) every ms milliseconds until fn returns 0, then calls
 * destroy(data). */
extern unsigned timer_add_full(unsigned ms, int (*fn)(void *data), void *data,
			       void (*destroy)(void *data));
extern int watch_poll(struct watch *w);

static void watch_release(struct kref *ref)
{
	free(container_of(ref, struct watch, ref));
}

static void watch_unref(void *data)
{
	struct watch *w = data;

	kref_put(&w->ref, watch_release);
}

static int watch_tick(void *data)
{
	struct watch *w = data;

	if (watch_poll(w) == 0)
		return 1;
	if (++w->misses < 3)
		return 1;
	kref_put(&w->ref, watch_release);	/* expect: rule 2 */
	return 0;
}

unsigned watch_start(struct watch *w)
{
	kref_get(&w->ref);
	return timer_add_full(1000, watch_tick, w, watch_unref);
}
