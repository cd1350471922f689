/* SPDX-License-Identifier: MIT */
/* The current settings are swapped, and read and got, under one mutex; the
 * old settings' reference is dropped after the unlock, when no reader can
 * find them any more. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct settings {
	struct kref ref;
	int verbose;
};

static pthread_mutex_t settings_lock = PTHREAD_MUTEX_INITIALIZER;
static struct settings *current_settings;	/* holds one reference */

static void settings_free(struct kref *ref)
{
	free(container_of(ref, struct settings, ref));
}

struct settings *settings_get_current(void)
{
	struct settings *s;

	pthread_mutex_lock(&settings_lock);
	s = current_settings;
	if (s)
		kref_get(&s->ref);
	pthread_mutex_unlock(&settings_lock);
	return s;
}

void settings_replace(struct settings *next)
{
	struct settings *old;

	kref_get(&next->ref);
	pthread_mutex_lock(&settings_lock);
	old = current_settings;
	current_settings = next;
	pthread_mutex_unlock(&settings_lock);
	if (old)
		kref_put(&old->ref, settings_free);
}
