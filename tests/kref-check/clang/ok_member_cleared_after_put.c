/* SPDX-License-Identifier: MIT */
/* A plugin keeps the renderer it activated with; deactivation drops that
 * reference before clearing the pointer.  Its init clears the pointer of
 * a plugin that never held one. */
#include <stdlib.h>
#include <kref.h>

struct renderer {
	struct kref ref;
};

struct plugin {
	struct renderer *renderer;
};

/* Returns a new reference to the shared renderer. */
extern struct renderer *renderer_acquire(void);
/* Stops listening to the renderer's frames. */
extern void renderer_unlisten(struct renderer *r, struct plugin *pl);

static void renderer_free(struct kref *ref)
{
	free(container_of(ref, struct renderer, ref));
}

void renderer_release(struct renderer *r)
{
	kref_put(&r->ref, renderer_free);
}

void plugin_init(struct plugin *pl)
{
	pl->renderer = NULL;
}

void plugin_activate(struct plugin *pl)
{
	pl->renderer = renderer_acquire();
}

void plugin_deactivate(struct plugin *pl)
{
	renderer_unlisten(pl->renderer, pl);
	renderer_release(pl->renderer);
	pl->renderer = NULL;
}
