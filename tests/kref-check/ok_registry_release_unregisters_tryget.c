/* SPDX-License-Identifier: MIT */
/* Correct: a plugin registry in plain C (pthreads, its own hash table).
 * plugin_unref() drops the count with no lock; at 0, plugin_finalize()
 * takes the registry mutex to remove the plugin from the table.
 * registry_open() finds a plugin under that mutex and takes its reference
 * with kref_get_unless_zero(): a plugin whose count already reached 0 is
 * reported as not found. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct ptable;

typedef struct plugin {
	struct kref ref_count;
	char *name;
	struct registry *owner;
} plugin_t;

typedef struct registry {
	pthread_mutex_t lock;
	struct ptable *by_name;
} registry_t;

/* The plugin registered under name (the table holds no reference), or NULL. */
extern plugin_t *ptable_get(struct ptable *t, const char *name);
extern void ptable_remove(struct ptable *t, const char *name);

static void plugin_finalize(struct kref *ref)
{
	plugin_t *pl = container_of(ref, plugin_t, ref_count);

	pthread_mutex_lock(&pl->owner->lock);
	ptable_remove(pl->owner->by_name, pl->name);
	pthread_mutex_unlock(&pl->owner->lock);
	free(pl->name);
	free(pl);
}

void plugin_unref(plugin_t *pl)
{
	kref_put(&pl->ref_count, plugin_finalize);
}

plugin_t *registry_open(registry_t *reg, const char *name)
{
	plugin_t *pl;

	pthread_mutex_lock(&reg->lock);
	pl = ptable_get(reg->by_name, name);
	if (pl != NULL && !kref_get_unless_zero(&pl->ref_count))
		pl = NULL;
	pthread_mutex_unlock(&reg->lock);
	return pl;
}
