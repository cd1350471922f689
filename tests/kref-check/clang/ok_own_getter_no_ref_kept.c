/* SPDX-License-Identifier: MIT */
/* Rule 2 kept: what the borrowed accessor returns is only read; a copy
 * kept in another widget takes its own reference, which that widget
 * puts through its field. */
#include <stdlib.h>
#include <kref.h>

struct theme { struct kref ref; int dark; };
struct widget { struct theme *theme; };

static void theme_release(struct kref *ref)
{
	free(container_of(ref, struct theme, ref));
}

static void theme_unref(struct theme *t)
{
	kref_put(&t->ref, theme_release);
}

/* Returns the widget's theme, borrowed: the widget keeps its reference. */
static struct theme *widget_get_theme(struct widget *w)
{
	return w->theme;
}

int widget_is_dark(struct widget *w)
{
	return widget_get_theme(w)->dark;
}

void widget_inherit(struct widget *child, struct widget *parent)
{
	child->theme = widget_get_theme(parent);
	kref_get(&child->theme->ref);
}

void widget_dispose(struct widget *w)
{
	if (w->theme)
		theme_unref(w->theme);
	w->theme = NULL;
}
