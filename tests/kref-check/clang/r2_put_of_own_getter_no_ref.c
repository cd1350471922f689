/* SPDX-License-Identifier: MIT */
/* Rule 2: the widget's own accessor returns its theme without a
 * reference, and the caller puts what it returned. */
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
	struct theme *t = widget_get_theme(w);
	int dark = t->dark;

	theme_unref(t); /* expect: rule 2 */
	return dark;
}
