/* SPDX-License-Identifier: MIT */
/* A monitor is attached to the clock's timer; the attach call takes a
 * reference of its own, and the caller drops the one acquire_timer()
 * gave it. */
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
	struct timer *t = acquire_timer(c);
	unsigned int id = timer_add_watch(t, monitor_tick, monitor);

	timer_unref(t);
	return id ? 0 : -1;
}
