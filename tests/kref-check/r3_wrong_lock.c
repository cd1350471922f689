/* SPDX-License-Identifier: MIT */
/* Rule 3 with the wrong lock: lookups hold the registry's read lock, but
 * the final put takes the object's own mutex, so a lookup can still find
 * an object whose count reached 0. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

struct plugin {
	struct kref kref;
	struct plugin *next;
	char name[32];
};

static struct plugin *registry;
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t plugin_lock = PTHREAD_MUTEX_INITIALIZER;

static void plugin_release(struct kref *kref)
{
	struct plugin *p = container_of(kref, struct plugin, kref);

	pthread_mutex_unlock(&plugin_lock);
	free(p);
}

void plugin_put(struct plugin *p)
{
	kref_put_mutex(&p->kref, plugin_release, &plugin_lock);
}

struct plugin *plugin_find(const char *name)
{
	struct plugin *p;

	pthread_mutex_lock(&registry_lock);
	for (p = registry; p; p = p->next)
		if (strcmp(p->name, name) == 0) {
			kref_get(&p->kref);	/* expect: rule 3 */
			break;
		}
	pthread_mutex_unlock(&registry_lock);
	return p;
}
