/* SPDX-License-Identifier: MIT */
/* Correct, a glib-like toolkit with its own names: the tooltip takes a
 * reference on the display it keeps and puts it when it is freed. */
#include <stdlib.h>
#include <kref.h>

typedef struct tk_display { struct kref refs; int fd; } tk_display;
typedef struct tk_widget tk_widget;

typedef struct tk_tooltip {
	tk_widget *anchor;
	tk_display *display;
	const char *text;
} tk_tooltip;

/* Returns the display the widget is shown on; the widget keeps it. */
tk_display *tk_widget_get_display(tk_widget *w);

static void tk_display_free(struct kref *k)
{
	free(container_of(k, tk_display, refs));
}

tk_display *tk_display_ref(tk_display *d)
{
	kref_get(&d->refs);
	return d;
}

void tk_display_unref(tk_display *d)
{
	kref_put(&d->refs, tk_display_free);
}

tk_tooltip *tk_tooltip_new(tk_widget *anchor, const char *text)
{
	tk_tooltip *tip = calloc(1, sizeof(*tip));

	if (!tip)
		return NULL;
	tip->anchor = anchor;
	tip->display = tk_widget_get_display(anchor);
	tk_display_ref(tip->display);
	tip->text = text;
	return tip;
}

void tk_tooltip_free(tk_tooltip *tip)
{
	tk_display_unref(tip->display);
	free(tip);
}
