/* SPDX-License-Identifier: MIT */
/* Rule 2: a plugin keeps the renderer it activated with (a new reference
 * from renderer_acquire); deactivation detaches from it and clears the
 * pointer without dropping that reference, which leaks the renderer. */
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

void plugin_activate(struct plugin *pl)
{
	pl->renderer = renderer_acquire();
}

void plugin_deactivate(struct plugin *pl)
{
	renderer_unlisten(pl->renderer, pl);
	pl->renderer = NULL;	/* expect: rule 2 */
}
