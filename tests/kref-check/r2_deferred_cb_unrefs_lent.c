/* SPDX-License-Identifier: MIT */
/* Rule 2: a redraw is deferred to the main loop with the view as untyped
 * callback data; the callback drops a reference on the view when done,
 * but the resize handler only lends its view (its caller keeps the one
 * reference) and the deferral takes none: the view's count goes one
 * below what its owners hold. */
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

void loop_defer(struct loop *l, void (*fn)(void *data), void *data);
void paint(struct view *v);

static void redraw_cb(void *data)
{
	struct view *v = (struct view *)data;

	paint(v);
	view_unref(v);	/* expect: rule 2 */
}

static void view_schedule_redraw(struct view *v)
{
	loop_defer(v->loop, redraw_cb, v);
}

void view_on_resize(struct view *v, int w, int h)
{
	v->w = w;
	v->h = h;
	view_schedule_redraw(v);
}
