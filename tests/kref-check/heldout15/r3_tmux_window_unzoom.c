/* SPDX-License-Identifier: MIT */
/*
 * Project: tmux/tmux
 * Path:    window.c (window_destroy, window_unzoom), notify.c (notify_add, notify_callback)
 * Fix:     6c0067c10360880334afa50815b880d04edcbf42
 * Bug:     window_destroy() (re)gained a window_unzoom() call, and
 *          window_unzoom() always queues a "window-layout-changed"
 *          notification, which takes a reference on the window whose count
 *          has already reached zero and keeps it in a command-queue item
 *          that runs after window_destroy() has freed the window; the item
 *          then uses it and drops the reference again.
 *
 * struct window's `references` is the kref.
 */
#include <stdlib.h>
#include <kref.h>

#define WINDOW_ZOOMED	0x1

struct layout_cell;
struct cmdq_item;

struct window {
	struct kref		references;
	unsigned int		id;
	int			flags;
	struct layout_cell	*layout_root;
	struct layout_cell	*saved_layout_root;
	char			*name;
};

struct notify_entry {
	const char		*name;
	struct window		*window;
};

/* queues cb(item, data) to run later from the server loop */
extern void cmdq_append_callback(int (*cb)(struct cmdq_item *, void *), void *data);
/* unlinks w from the global windows tree (which holds no reference) */
extern void windows_tree_remove(struct window *w);
/* frees a layout tree */
extern void layout_free_cell(struct layout_cell *lc);
/* recomputes pane geometry from w->layout_root */
extern void layout_fix_panes(struct window *w);
/* tells control clients that the layout of w changed (reads w) */
extern void control_notify_window_layout_changed(struct window *w);
/* destroys and frees every pane of w */
extern void window_destroy_panes(struct window *w);
/* redraws every client showing w */
extern void server_redraw_window(struct window *w);

static void window_destroy(struct kref *ref);

void window_add_ref(struct window *w)
{
	kref_get(&w->references);
}

void window_remove_ref(struct window *w)
{
	kref_put(&w->references, window_destroy);
}

static int notify_callback(struct cmdq_item *item, void *data)
{
	struct notify_entry *ne = data;

	(void)item;
	control_notify_window_layout_changed(ne->window);
	if (ne->window != NULL)
		window_remove_ref(ne->window);
	free(ne);
	return 0;
}

static void notify_add(const char *name, struct window *w)
{
	struct notify_entry *ne;

	ne = calloc(1, sizeof *ne);
	if (ne == NULL)
		abort();
	ne->name = name;
	ne->window = w;
	if (w != NULL)
		window_add_ref(w);
	cmdq_append_callback(notify_callback, ne);
}

void notify_window(const char *name, struct window *w)
{
	notify_add(name, w);
}

int window_unzoom(struct window *w)
{
	if (!(w->flags & WINDOW_ZOOMED))
		return -1;

	w->flags &= ~WINDOW_ZOOMED;
	layout_free_cell(w->layout_root);
	w->layout_root = w->saved_layout_root;
	w->saved_layout_root = NULL;
	layout_fix_panes(w);
	notify_window("window-layout-changed", w);

	return 0;
}

void server_unzoom_window(struct window *w)
{
	if (window_unzoom(w) == 0)
		server_redraw_window(w);
}

/* Release: the last reference to the window is gone. */
static void window_destroy(struct kref *ref)
{
	struct window *w = container_of(ref, struct window, references);

	window_unzoom(w); /* expect: rule 3 */
	windows_tree_remove(w);

	if (w->layout_root != NULL)
		layout_free_cell(w->layout_root);
	if (w->saved_layout_root != NULL)
		layout_free_cell(w->saved_layout_root);

	window_destroy_panes(w);

	free(w->name);
	free(w);
}
