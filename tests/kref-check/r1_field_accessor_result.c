/* SPDX-License-Identifier: MIT */
/* Rule 1, a glib-like toolkit with its own names: a tooltip keeps the
 * display its anchor widget is on, read with an accessor that gives no
 * reference.  The tooltip is returned to the caller and outlives the
 * call; closing the display puts the last reference under it. */
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

void tk_display_close(tk_display *d)
{
	kref_put(&d->refs, tk_display_free);
}

tk_tooltip *tk_tooltip_new(tk_widget *anchor, const char *text)
{
	tk_tooltip *tip = calloc(1, sizeof(*tip));

	if (!tip)
		return NULL;
	tip->anchor = anchor;
	tip->display = tk_widget_get_display(anchor);	/* expect: rule 1 */
	tip->text = text;
	return tip;
}
