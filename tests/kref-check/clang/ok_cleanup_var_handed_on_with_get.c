/* SPDX-License-Identifier: MIT */
/* The config's one reference belongs to the variable, whose cleanup puts
 * it when the function returns; the session gets a reference of its own. */
#include <stdlib.h>
#include <kref.h>

struct config { struct kref ref; int flags; };
struct session;

/* Parses a config file; returns a new config (one reference) or NULL. */
extern struct config *config_load(const char *path);
/* Attaches data to the session; destroy(data) runs when the session goes. */
extern void session_set_data(struct session *s, const char *key, void *data,
			     void (*destroy)(void *));

static void config_release(struct kref *ref)
{
	free(container_of(ref, struct config, ref));
}

static void config_unref(void *p)
{
	kref_put(&((struct config *)p)->ref, config_release);
}

static void config_cleanup(struct config **c)
{
	if (*c)
		config_unref(*c);
}

int session_configure(struct session *s, const char *path)
{
	struct config *c __attribute__((cleanup(config_cleanup))) = config_load(path);

	if (!c)
		return -1;
	kref_get(&c->ref);
	session_set_data(s, "config", c, config_unref);
	return c->flags;
}
