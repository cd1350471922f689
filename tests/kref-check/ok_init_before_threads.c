/* SPDX-License-Identifier: MIT */
/* Correct: main publishes the object and takes references while it is the
 * only thread; the workers then look it up under the lock the final put
 * takes. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct settings {
	struct kref ref;
	int verbose;
};

static struct settings *g_settings;
static pthread_mutex_t settings_lock = PTHREAD_MUTEX_INITIALIZER;

static void settings_release(struct kref *ref)
{
	struct settings *s = container_of(ref, struct settings, ref);

	if (g_settings == s)
		g_settings = NULL;
	pthread_mutex_unlock(&settings_lock);
	free(s);
}

static struct settings *settings_get(void)
{
	struct settings *s;

	pthread_mutex_lock(&settings_lock);
	s = g_settings;
	if (s)
		kref_get(&s->ref);
	pthread_mutex_unlock(&settings_lock);
	return s;
}

static void settings_put(struct settings *s)
{
	kref_put_mutex(&s->ref, settings_release, &settings_lock);
}

static void *worker(void *arg)
{
	struct settings *s = settings_get();

	(void)arg;
	if (s)
		settings_put(s);
	return NULL;
}

int main(void)
{
	struct settings *s = calloc(1, sizeof(*s)), *mine;
	pthread_t t;

	if (!s)
		return 1;
	kref_init(&s->ref);
	g_settings = s;			/* no other thread yet */
	mine = g_settings;
	kref_get(&mine->ref);		/* main's own reference */
	if (pthread_create(&t, NULL, worker, NULL) != 0) {
		settings_put(mine);
		settings_put(s);
		return 1;
	}
	pthread_join(t, NULL);
	settings_put(mine);
	settings_put(s);
	return 0;
}
