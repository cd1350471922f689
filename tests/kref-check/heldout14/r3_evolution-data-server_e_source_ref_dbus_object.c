/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/evolution-data-server
 * Path:    libedataserver/e-source.c
 * Fix:     133c0e3fe057e6bcac5339879c08649e7cdc72b5
 * Bug:     e_source_ref_dbus_object() reads source->priv->dbus_object and
 *          references it without the property lock, while the registry's
 *          __e_source_private_replace_dbus_object() swaps the field and drops
 *          the source's reference to the old proxy object under that lock.
 */
#include <kref.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

typedef struct _GDBusObject {
	struct kref ref;
} GDBusObject;

typedef struct _ESourcePrivate {
	pthread_mutex_t property_lock;
	GDBusObject *dbus_object;	/* the source's reference */
} ESourcePrivate;

typedef struct _ESource {
	ESourcePrivate *priv;
} ESource;

/* frees the proxy object's members (not the struct) */
extern void g_dbus_object_proxy_finalize(GDBusObject *object);
/* reads the "removable" property of the org.gnome.evolution.dataserver.Source
 * interface on the proxy object */
extern bool e_dbus_object_get_source_removable(GDBusObject *object);
/* emits "notify::dbus-object" */
extern void e_source_notify_dbus_object(ESource *source);

static void g_dbus_object_release(struct kref *ref)
{
	GDBusObject *object = container_of(ref, GDBusObject, ref);

	g_dbus_object_proxy_finalize(object);
	free(object);
}

static GDBusObject *g_object_ref(GDBusObject *object)
{
	kref_get(&object->ref);
	return object;
}

static void g_object_unref(GDBusObject *object)
{
	kref_put(&object->ref, g_dbus_object_release);
}

GDBusObject *
e_source_ref_dbus_object(ESource *source)
{
	if (source->priv->dbus_object == NULL)
		return NULL;

	return g_object_ref(source->priv->dbus_object); /* expect: rule 3 */
}

/* called by ESourceRegistry after the registry service restarted */
void
__e_source_private_replace_dbus_object(ESource *source, GDBusObject *dbus_object)
{
	GDBusObject *old;

	pthread_mutex_lock(&source->priv->property_lock);
	old = source->priv->dbus_object;
	source->priv->dbus_object = g_object_ref(dbus_object);
	if (old != NULL)
		g_object_unref(old);
	pthread_mutex_unlock(&source->priv->property_lock);

	e_source_notify_dbus_object(source);
}

bool
e_source_get_removable(ESource *source)
{
	GDBusObject *dbus_object;
	bool removable = false;

	dbus_object = e_source_ref_dbus_object(source);
	if (dbus_object != NULL) {
		removable = e_dbus_object_get_source_removable(dbus_object);
		g_object_unref(dbus_object);
	}

	return removable;
}
