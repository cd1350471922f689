/* SPDX-License-Identifier: MIT */
/* GLib style: the idle callback's data is owned by the registration
 * (destroy = watch_unref); the callback takes a temporary reference of its
 * own around a call that may remove the source, and drops it. */
#include <stdlib.h>
#include <kref.h>

typedef int gboolean;
typedef void *gpointer;
typedef gboolean (*GSourceFunc)(gpointer data);
typedef void (*GDestroyNotify)(gpointer data);

struct watch { struct kref ref; int fd; int pending; };

extern unsigned g_idle_add_full(int priority, GSourceFunc fn, gpointer data, GDestroyNotify notify);
extern void watch_dispatch(struct watch *w);	/* may remove the source */

static void watch_release(struct kref *ref)
{
	free(container_of(ref, struct watch, ref));
}

static struct watch *watch_ref(struct watch *w)
{
	kref_get(&w->ref);
	return w;
}

static void watch_unref(gpointer data)
{
	struct watch *w = data;

	kref_put(&w->ref, watch_release);
}

static gboolean watch_idle(gpointer data)
{
	struct watch *w = data;

	watch_ref(w);
	watch_dispatch(w);
	w->pending = 0;
	watch_unref(w);
	return 0;
}

unsigned watch_schedule(struct watch *w)
{
	w->pending = 1;
	return g_idle_add_full(0, watch_idle, watch_ref(w), watch_unref);
}
