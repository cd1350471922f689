/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/glib
 * Path: gobject/gobject.c
 * Fix commit: f4aa119157fd054035e4382b5c3803358bc92d11
 * Bug: when the object has no weak locations, g_object_unref() drops the
 * last reference without weak_locations_lock, so a g_weak_ref_set() that
 * slips in between the check and the drop leaves a GWeakRef through which
 * g_weak_ref_get() takes a reference on an object being finalized.
 */
#include <kref.h>
#include <pthread.h>
#include <stddef.h>

typedef struct _GSList GSList;

typedef struct _GObject {
	struct kref ref_count;
	GSList *weak_locations;		/* GWeakRefs pointing here; weak_locations_lock */
} GObject;

typedef struct {
	union {
		void *p;
	} priv;
} GWeakRef;

static pthread_rwlock_t weak_locations_lock = PTHREAD_RWLOCK_INITIALIZER;

/* prepends a weak location to a list */
extern GSList *g_slist_prepend(GSList *list, void *data);
/* sets every GWeakRef of the list to NULL and frees the list; weak_locations_lock held */
extern void weak_locations_free_unlocked(GSList *weak_locations);
/* runs the class finalize() and frees the instance */
extern void g_object_finalize_instance(GObject *object);

void *g_object_ref(void *_object)
{
	GObject *object = _object;

	kref_get(&object->ref_count);
	return object;
}

/* The last reference is gone and no GWeakRef points to the object. */
static void g_object_last_unref(struct kref *ref)
{
	g_object_finalize_instance(container_of(ref, GObject, ref_count));
}

/* The same, clearing the weak locations: weak_locations_lock held for writing. */
static void g_object_last_unref_clear_weak(struct kref *ref)
{
	GObject *object = container_of(ref, GObject, ref_count);

	weak_locations_free_unlocked(object->weak_locations);
	object->weak_locations = NULL;
	g_object_finalize_instance(object);
}

void g_object_unref(void *_object)
{
	GObject *object = _object;

	if (object->weak_locations == NULL) {
		kref_put(&object->ref_count, g_object_last_unref); /* expect: rule 3 */
		return;
	}

	pthread_rwlock_wrlock(&weak_locations_lock);
	kref_put(&object->ref_count, g_object_last_unref_clear_weak);
	pthread_rwlock_unlock(&weak_locations_lock);
}

/* The caller holds a strong reference on object. */
void g_weak_ref_set(GWeakRef *weak_ref, void *object)
{
	GObject *new_object = object;

	pthread_rwlock_wrlock(&weak_locations_lock);
	weak_ref->priv.p = new_object;
	if (new_object != NULL)
		new_object->weak_locations =
			g_slist_prepend(new_object->weak_locations, weak_ref);
	pthread_rwlock_unlock(&weak_locations_lock);
}

/* Returns a new strong reference on the object, or NULL. */
void *g_weak_ref_get(GWeakRef *weak_ref)
{
	void *object_or_null;

	pthread_rwlock_rdlock(&weak_locations_lock);
	object_or_null = weak_ref->priv.p;
	if (object_or_null != NULL)
		g_object_ref(object_or_null);
	pthread_rwlock_unlock(&weak_locations_lock);

	return object_or_null;
}
