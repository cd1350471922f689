/* SPDX-License-Identifier: MIT */
/*
 * Project: tmux/tmux
 * Path:    window.c (window_destroy, window_unzoom), notify.c (notify_add, notify_drain)
 * Fix:     bad8d0fd200c7718a8f51f52b9dd2f23c74d996f
 * Bug:     window_destroy(), run when the window's reference count has
 *          reached zero, first unzooms the window, and the unzoom sends a
 *          layout-changed notification that takes a new reference on the
 *          dying window (0 -> 1) and drops it again when the queue drains,
 *          so window_destroy() runs a second time: double free.
 *
 * struct window's `references` is the kref.
 */
#include <stdlib.h>
#include <kref.h>

#define WINDOW_ZOOMED	0x1

struct layout_cell;

struct window {
	struct kref		references;
	int			flags;
	struct layout_cell	*layout_root;
	struct layout_cell	*saved_layout_root;
	char			*old_layout;
	char			*name;
};

struct notify_entry {
	struct window		*window;
	struct notify_entry	*next;
};

static struct notify_entry *notify_queue;

/* unlinks w from the global windows tree (which holds no reference) */
extern void windows_tree_remove(struct window *w);
/* frees a layout tree */
extern void layout_free_cell(struct layout_cell *lc);
/* recomputes pane geometry from w->layout_root */
extern void layout_fix_panes(struct window *w);
/* tells control clients that the layout of w changed */
extern void control_notify_window_layout_changed(struct window *w);
/* destroys and frees every pane of w */
extern void window_destroy_panes(struct window *w);

static void window_destroy(struct kref *ref);

void window_remove_ref(struct window *w)
{
	kref_put(&w->references, window_destroy);
}

static void notify_add(struct window *w)
{
	struct notify_entry *ne;

	ne = calloc(1, sizeof *ne);
	if (ne == NULL)
		abort();
	ne->window = w;
	kref_get(&w->references);
	ne->next = notify_queue;
	notify_queue = ne;
}

static void notify_drain(void)
{
	struct notify_entry *ne;

	while ((ne = notify_queue) != NULL) {
		notify_queue = ne->next;
		control_notify_window_layout_changed(ne->window);
		window_remove_ref(ne->window);
		free(ne);
	}
}

static void notify_window_layout_changed(struct window *w)
{
	notify_add(w);
	notify_drain();
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
	notify_window_layout_changed(w);

	return 0;
}

/* Release: the last reference to the window is gone. */
static void window_destroy(struct kref *ref)
{
	struct window *w = container_of(ref, struct window, references);

	windows_tree_remove(w);

	if (w->layout_root != NULL)
		layout_free_cell(w->layout_root);
	if (w->saved_layout_root != NULL)
		layout_free_cell(w->saved_layout_root);
	free(w->old_layout);

	window_destroy_panes(w);

	free(w->name);
	free(w);
}
