/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/dconf
 * Path: engine/dconf-engine.c
 * Fix commit: a1b7bbb13507ba2381d78977c6c99d5aa0c1f1ba
 * Bug: dconf_engine_unref() drops an engine's count to zero without
 * dconf_engine_global_lock and only afterwards takes the lock to unlink the
 * engine from the global list, in which the D-Bus signal handler finds
 * engines and references them under that lock.
 */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

typedef struct _DConfEngine DConfEngine;

struct _DConfEngine {
	struct kref ref;
	DConfEngine *next;		/* link in dconf_engine_global_list */
	void *user_data;
};

/* The global list holds no reference: an engine is in it while it lives. */
static DConfEngine *dconf_engine_global_list;
static pthread_mutex_t dconf_engine_global_lock = PTHREAD_MUTEX_INITIALIZER;

/* frees the engine's sources, pending changes and last_handled tag */
extern void dconf_engine_free_contents(DConfEngine *engine);
/* tells whether this change was already announced to the client */
extern int dconf_engine_already_handled(DConfEngine *engine, const char *tag);
/* calls the client's change notification callback */
extern void dconf_engine_change_notify(DConfEngine *engine, const char *prefix,
				       const char *const *changes, const char *tag,
				       void *user_data);

DConfEngine *dconf_engine_new(void *user_data)
{
	DConfEngine *engine = calloc(1, sizeof(*engine));

	if (!engine)
		return NULL;
	kref_init(&engine->ref);
	engine->user_data = user_data;

	pthread_mutex_lock(&dconf_engine_global_lock);
	engine->next = dconf_engine_global_list;
	dconf_engine_global_list = engine;
	pthread_mutex_unlock(&dconf_engine_global_lock);

	return engine;
}

DConfEngine *dconf_engine_ref(DConfEngine *engine)
{
	kref_get(&engine->ref);
	return engine;
}

static void dconf_engine_global_unlink(DConfEngine *engine)
{
	DConfEngine **p;

	for (p = &dconf_engine_global_list; *p; p = &(*p)->next) {
		if (*p == engine) {
			*p = engine->next;
			break;
		}
	}
}

/* called with dconf_engine_global_lock held */
static void dconf_engine_release(struct kref *ref)
{
	DConfEngine *engine = container_of(ref, DConfEngine, ref);

	dconf_engine_global_unlink(engine);
	pthread_mutex_unlock(&dconf_engine_global_lock);

	dconf_engine_free_contents(engine);
	free(engine);
}

void dconf_engine_unref(DConfEngine *engine)
{
	kref_put_mutex(&engine->ref, dconf_engine_release,
		       &dconf_engine_global_lock);
}

/* runs in the D-Bus worker thread */
void dconf_engine_handle_dbus_signal(const char *prefix,
				     const char *const *changes,
				     const char *tag)
{
	DConfEngine **engines;
	DConfEngine *engine;
	size_t n = 0, i;

	pthread_mutex_lock(&dconf_engine_global_lock);
	for (engine = dconf_engine_global_list; engine; engine = engine->next)
		n++;
	engines = calloc(n ? n : 1, sizeof(*engines));
	if (!engines) {
		pthread_mutex_unlock(&dconf_engine_global_lock);
		return;
	}
	n = 0;
	for (engine = dconf_engine_global_list; engine; engine = engine->next)
		engines[n++] = dconf_engine_ref(engine);
	pthread_mutex_unlock(&dconf_engine_global_lock);

	for (i = 0; i < n; i++) {
		engine = engines[i];
		if (!dconf_engine_already_handled(engine, tag))
			dconf_engine_change_notify(engine, prefix, changes, tag,
						   engine->user_data);
		dconf_engine_unref(engine);
	}
	free(engines);
}
