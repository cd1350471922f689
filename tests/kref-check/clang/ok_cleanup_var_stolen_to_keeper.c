/* SPDX-License-Identifier: MIT */
/* GLib style: the autoptr's reference is stolen into the session's data
 * table (steal_pointer() leaves NULL in the variable, as g_steal_pointer). */
#include <stddef.h>
#include <stdlib.h>
#include <kref.h>

typedef void *gpointer;

struct config { struct kref ref; int flags; };
struct session;

/* Parses a config file; returns a new config (one reference) or NULL. */
extern struct config *config_load(const char *path);
/* Attaches data to the session; destroy(data) runs when the session goes. */
extern void session_set_data(struct session *s, const char *key, void *data,
			     void (*destroy)(void *));

static inline gpointer steal_pointer(gpointer pp)
{
	gpointer *ptr = (gpointer *)pp;
	gpointer ref = *ptr;

	*ptr = NULL;
	return ref;
}

static void config_release(struct kref *ref)
{
	free(container_of(ref, struct config, ref));
}

static void config_unref(void *p)
{
	kref_put(&((struct config *)p)->ref, config_release);
}

static void config_autoptr_cleanup(struct config **c)
{
	if (*c)
		config_unref(*c);
}

#define autoptr_config __attribute__((cleanup(config_autoptr_cleanup))) struct config *

int session_configure(struct session *s, const char *path)
{
	autoptr_config c = config_load(path);
	int flags;

	if (!c)
		return -1;
	flags = c->flags;
	session_set_data(s, "config", steal_pointer(&c), config_unref);
	return flags;
}
