/* SPDX-License-Identifier: MIT */
/* Rule 2: a monitor is attached to the clock's timer with the timer
 * acquire_timer() returns with a reference; the attach call takes a
 * reference of its own, so the caller's is never dropped: a leak. */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

struct timer {
	struct kref ref;
};

struct clock {
	struct timer *timer;	/* the clock's own reference */
};

typedef bool (*tick_fn)(struct timer *t, void *data);

/* Watches the timer's ticks; the watch takes its own reference. */
extern unsigned int timer_add_watch(struct timer *t, tick_fn fn, void *data);
extern bool monitor_tick(struct timer *t, void *data);

static void timer_free(struct kref *ref)
{
	free(container_of(ref, struct timer, ref));
}

void timer_unref(struct timer *t)
{
	kref_put(&t->ref, timer_free);
}

/* Returns a new reference to the clock's timer. */
struct timer *acquire_timer(struct clock *c)
{
	kref_get(&c->timer->ref);
	return c->timer;
}

int monitor_attach(struct clock *c, void *monitor)
{
	if (!timer_add_watch(acquire_timer(c), monitor_tick, monitor))
		return -1;
	return 0;	/* expect: rule 2 */
}
