/* SPDX-License-Identifier: MIT */
/* Rule 2, correct: the deferral is given a reference of its own (taken
 * in the argument list), which the callback drops when done. */
#include <stdlib.h>
#include <kref.h>

struct loop;
struct view { struct kref kref; struct loop *loop; int w, h; };

static void view_destroy(struct kref *kref)
{
	free(container_of(kref, struct view, kref));
}

static void view_unref(struct view *v)
{
	kref_put(&v->kref, view_destroy);
}

static struct view *view_ref(struct view *v)
{
	kref_get(&v->kref);
	return v;
}

void loop_defer(struct loop *l, void (*fn)(void *data), void *data);
void paint(struct view *v);

static void redraw_cb(void *data)
{
	struct view *v = (struct view *)data;

	paint(v);
	view_unref(v);
}

static void view_schedule_redraw(struct view *v)
{
	loop_defer(v->loop, redraw_cb, view_ref(v));
}

void view_on_resize(struct view *v, int w, int h)
{
	v->w = w;
	v->h = h;
	view_schedule_redraw(v);
}
