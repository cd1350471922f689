/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/glib
 * Path: glib/gmain.c
 * Fix commit: 9251e99cdc3bef4a6e1bda572186e01a7af33e5d
 * Bug: g_source_destroy() read the source's back pointer to its GMainContext
 * and used it with no lock and no reference, racing a g_main_context_unref()
 * on another thread that drops the last reference, detaches the sources and
 * frees the context.
 */
#include <kref.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#define G_HOOK_FLAG_ACTIVE	1u

typedef struct GMainContext GMainContext;

typedef struct GSource {
	struct kref ref;		/* g_source_ref() / g_source_unref() */
	unsigned int flags;
	GMainContext *context;		/* no reference; cleared when the context dies */
	struct GSource *next;		/* in context->sources */
} GSource;

struct GMainContext {
	struct kref ref;		/* g_main_context_ref() / g_main_context_unref() */
	pthread_mutex_t mutex;		/* LOCK_CONTEXT() */
	GSource *sources;
};

/* unlinks source from context's lists and marks it inactive; takes the context lock unless have_lock */
extern void g_source_destroy_internal(GSource *source, GMainContext *context, bool have_lock);

static void g_main_context_release(struct kref *ref)
{
	GMainContext *context = container_of(ref, GMainContext, ref);
	GSource *source, *next;

	pthread_mutex_lock(&context->mutex);
	for (source = context->sources; source != NULL; source = next) {
		next = source->next;
		source->context = NULL;
		g_source_destroy_internal(source, context, true);
	}
	pthread_mutex_unlock(&context->mutex);

	pthread_mutex_destroy(&context->mutex);
	free(context);
}

void g_main_context_unref(GMainContext *context)
{
	kref_put(&context->ref, g_main_context_release);
}

void g_source_destroy(GSource *source)
{
	GMainContext *context;

	context = source->context;

	if (context)
		g_source_destroy_internal(source, context, false); /* expect: rule 3 */
	else
		__atomic_and_fetch(&source->flags, ~G_HOOK_FLAG_ACTIVE, __ATOMIC_SEQ_CST);
}
