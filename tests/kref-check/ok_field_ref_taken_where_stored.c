/* SPDX-License-Identifier: MIT */
/* Rule 2, correct, a small toolkit with its own names.  A view may keep
 * its theme: view_set_theme() stores the pointer and refs it together;
 * view_destroy() hands the view to the toolkit's unregister call and
 * then unrefs view->theme.  Nothing but view_set_theme() sets it. */
#include <kref.h>
#include <stdlib.h>

struct theme { struct kref ref; const char *name; };
struct view { struct theme *theme; int w, h; };

/* Removes the view from the toolkit's tree of views. */
extern void tk_unregister_view(struct view *view);

static void theme_free(struct kref *ref)
{
	free(container_of(ref, struct theme, ref));
}

static void theme_unref(struct theme *t)
{
	kref_put(&t->ref, theme_free);
}

void view_set_theme(struct view *view, struct theme *theme)
{
	view->theme = theme;
	if (view->theme)
		kref_get(&view->theme->ref);
}

void view_destroy(struct view *view)
{
	tk_unregister_view(view);
	if (view->theme)
		theme_unref(view->theme);
	free(view);
}
