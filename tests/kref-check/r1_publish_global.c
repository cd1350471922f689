/* SPDX-License-Identifier: MIT */
/* Rule 1 with a store to a shared location: the new configuration is
 * published in a global that readers use at once, and the global's
 * reference is taken only afterwards. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

struct config {
	struct kref ref;
	char name[32];
	int level;
};

static struct config *active_config;
static pthread_mutex_t config_mutex = PTHREAD_MUTEX_INITIALIZER;

static void config_release(struct kref *ref)
{
	struct config *c = container_of(ref, struct config, ref);

	if (active_config == c)
		active_config = NULL;
	pthread_mutex_unlock(&config_mutex);
	free(c);
}

struct config *config_get(void)
{
	struct config *c;

	pthread_mutex_lock(&config_mutex);
	c = active_config;
	if (c)
		kref_get(&c->ref);
	pthread_mutex_unlock(&config_mutex);
	return c;
}

void config_put(struct config *c)
{
	kref_put_mutex(&c->ref, config_release, &config_mutex);
}

/* Called by the admin thread while readers run. */
int config_reload(const char *name, int level)
{
	struct config *c = calloc(1, sizeof(*c)), *old;

	if (!c)
		return -1;
	kref_init(&c->ref);
	strncpy(c->name, name, sizeof(c->name) - 1);
	c->level = level;
	pthread_mutex_lock(&config_mutex);
	old = active_config;
	active_config = c;
	pthread_mutex_unlock(&config_mutex);
	kref_get(&c->ref);	/* expect: rule 1 */
	if (old)
		config_put(old);
	config_put(c);
	return 0;
}
