/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/dconf
 * Path: engine/dconf-engine.c
 * Fix commit: cd27413d87009d9d452c54b1b5bd65a9a5581ded
 * Bug: when dconf_engine_unref() is about to drop what looked like the last
 * reference but finds, under the global lock, that a signal handler took
 * another one meanwhile, it returns without dropping its own reference, so
 * the engine is leaked.
 */
#include <kref.h>
#include <pthread.h>
#include <stdlib.h>

typedef struct DConfEngine DConfEngine;

struct DConfEngine {
	struct kref ref;
	DConfEngine *next;		/* dconf_engine_global_list link */
	pthread_mutex_t sources_lock;
	pthread_mutex_t queue_lock;
	void *user_data;
	void (*free_func)(void *user_data);
	char *last_handled;
};

static pthread_mutex_t dconf_engine_global_lock = PTHREAD_MUTEX_INITIALIZER;
static DConfEngine *dconf_engine_global_list;

/* delivers a change notification to the engine's user */
extern void dconf_engine_emit_changed(DConfEngine *engine, const char *prefix);
/* closes and frees the engine's sources */
extern void dconf_engine_free_sources(DConfEngine *engine);

DConfEngine *dconf_engine_new(void *user_data, void (*free_func)(void *))
{
	DConfEngine *engine = calloc(1, sizeof(*engine));

	if (!engine)
		return NULL;
	kref_init(&engine->ref);
	engine->user_data = user_data;
	engine->free_func = free_func;
	pthread_mutex_init(&engine->sources_lock, NULL);
	pthread_mutex_init(&engine->queue_lock, NULL);

	pthread_mutex_lock(&dconf_engine_global_lock);
	engine->next = dconf_engine_global_list;
	dconf_engine_global_list = engine;
	pthread_mutex_unlock(&dconf_engine_global_lock);

	return engine;
}

/* called with dconf_engine_global_lock held */
static void dconf_engine_global_list_remove(DConfEngine *engine)
{
	DConfEngine **link;

	for (link = &dconf_engine_global_list; *link; link = &(*link)->next)
		if (*link == engine) {
			*link = engine->next;
			break;
		}
}

static void dconf_engine_release(struct kref *kref)
{
	DConfEngine *engine = container_of(kref, DConfEngine, ref);

	pthread_mutex_destroy(&engine->sources_lock);
	pthread_mutex_destroy(&engine->queue_lock);
	free(engine->last_handled);
	dconf_engine_free_sources(engine);
	if (engine->free_func)
		engine->free_func(engine->user_data);
	free(engine);
}

void dconf_engine_unref(DConfEngine *engine)
{
again:
	if (kref_read(&engine->ref) == 1) {
		/*
		 * About to drop the last reference, but a signal may be
		 * taking a new one through the global list right now: take
		 * the lock so that either we unlink first or we see the
		 * count go up.
		 */
		pthread_mutex_lock(&dconf_engine_global_lock);
		if (kref_read(&engine->ref) != 1) {
			pthread_mutex_unlock(&dconf_engine_global_lock);
			goto again;
		}
		dconf_engine_global_list_remove(engine);
		kref_put(&engine->ref, dconf_engine_release);
		pthread_mutex_unlock(&dconf_engine_global_lock);
		return;
	}

	if (!refcount_dec_not_one(&engine->ref.refcount))
		goto again;
}

/* D-Bus signal thread: tells every engine about a change */
void dconf_engine_handle_dbus_signal(const char *prefix)
{
	DConfEngine *engine, **engines;
	size_t n = 0, i;

	/* g_slist_copy_deep (dconf_engine_global_list, dconf_engine_ref) */
	pthread_mutex_lock(&dconf_engine_global_lock);
	for (engine = dconf_engine_global_list; engine; engine = engine->next)
		n++;
	engines = calloc(n ? n : 1, sizeof(*engines));
	if (!engines) {
		pthread_mutex_unlock(&dconf_engine_global_lock);
		return;
	}
	n = 0;
	for (engine = dconf_engine_global_list; engine; engine = engine->next) {
		kref_get(&engine->ref);
		engines[n++] = engine;
	}
	pthread_mutex_unlock(&dconf_engine_global_lock);

	for (i = 0; i < n; i++) {
		dconf_engine_emit_changed(engines[i], prefix);
		dconf_engine_unref(engines[i]);
	}
	free(engines);
}
