/* SPDX-License-Identifier: MIT */
/*
 * evolution-data-server, fix 926d6992668095f2679051a10a13499b2134f180
 * ("Prevent early free of an ESource when it has pending operations"),
 * src/libedataserver/e-source.c.
 * e_source_changed(), called from any thread, attaches an idle source to
 * the ESource's main context with the ESource as callback data but no
 * reference for it: the last reference can be dropped in another thread
 * while the idle callback runs on the ESource.
 */
#include <kref.h>
#include <pthread.h>
#include <stdlib.h>

typedef struct _GSource GSource;
typedef struct _GMainContext GMainContext;
typedef int (*GSourceFunc) (void *user_data);
typedef void (*GDestroyNotify) (void *data);

typedef struct _ESourcePrivate {
	GMainContext *main_context;
	pthread_mutex_t changed_lock;
	GSource *changed;
	int ignore_changed_signal;
	int initialized;
	char *display_name;
} ESourcePrivate;

typedef struct _ESource {
	struct kref ref;
	ESourcePrivate *priv;
} ESource;

enum { CHANGED, LAST_SIGNAL };
static unsigned int signals[LAST_SIGNAL];

/* GLib main loop sources */
extern GSource *g_idle_source_new (void);
extern void g_source_set_callback (GSource *source, GSourceFunc func,
                                   void *data, GDestroyNotify notify);
extern unsigned int g_source_attach (GSource *source, GMainContext *context);
extern void g_source_destroy (GSource *source);
extern void g_source_unref (GSource *source);
extern int g_source_is_destroyed (GSource *source);
extern GSource *g_main_current_source (void);
extern void g_main_context_unref (GMainContext *context);
/* runs the handlers connected to @signal_id on @instance */
extern void g_signal_emit (void *instance, unsigned int signal_id, unsigned int detail);

static void
source_finalize (struct kref *ref)
{
	ESource *source = container_of (ref, ESource, ref);
	ESourcePrivate *priv = source->priv;

	/* dispose */
	if (priv->main_context != NULL) {
		g_main_context_unref (priv->main_context);
		priv->main_context = NULL;
	}

	pthread_mutex_lock (&priv->changed_lock);
	if (priv->changed != NULL) {
		g_source_destroy (priv->changed);
		g_source_unref (priv->changed);
		priv->changed = NULL;
	}
	pthread_mutex_unlock (&priv->changed_lock);

	/* finalize */
	pthread_mutex_destroy (&priv->changed_lock);
	free (priv->display_name);
	free (priv);
	free (source);
}

void
e_source_unref (void *data)
{
	ESource *source = data;

	kref_put (&source->ref, source_finalize);
}

static int
source_idle_changed_cb (void *user_data)
{
	ESource *source = user_data;

	if (g_source_is_destroyed (g_main_current_source ()))
		return 0;

	/* Still being set up in another thread: try again on the next
	 * main loop iteration. */
	if (!source->priv->initialized)
		return 1;

	pthread_mutex_lock (&source->priv->changed_lock);
	if (source->priv->changed != NULL) {
		g_source_unref (source->priv->changed);
		source->priv->changed = NULL;
	}
	pthread_mutex_unlock (&source->priv->changed_lock);

	g_signal_emit (source, signals[CHANGED], 0);

	return 0;
}

void
e_source_changed (ESource *source)
{
	pthread_mutex_lock (&source->priv->changed_lock);
	if (!source->priv->ignore_changed_signal &&
	    source->priv->changed == NULL) {
		source->priv->changed = g_idle_source_new ();
		kref_get (&source->ref);
		g_source_set_callback (source->priv->changed, source_idle_changed_cb, source, e_source_unref);
		g_source_attach (
			source->priv->changed,
			source->priv->main_context);
	}
	pthread_mutex_unlock (&source->priv->changed_lock);
}
