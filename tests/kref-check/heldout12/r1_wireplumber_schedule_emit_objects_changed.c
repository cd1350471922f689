/* SPDX-License-Identifier: MIT */
/*
 * Project: PipeWire/wireplumber
 * Path: lib/wp/object-manager.c
 * Fix commit: 92107e834233e652c9f58688f4aa47948dabf4e9
 * Bug: schedule_emit_objects_changed() passes the object manager as the
 * user data of an asynchronous core sync without taking a reference, so
 * if the manager is destroyed while the sync is pending the completion
 * callback runs on a freed object.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <kref.h>

typedef struct WpCore WpCore;
typedef void (*WpCoreSyncCallback)(WpCore *core, void *res, void *data);

typedef struct WpObjectManager {
	struct kref ref;		/* the GObject reference count */
	bool pending_objchanged;
	unsigned int n_objects;
} WpObjectManager;

/* g_weak_ref_get (&self->core): returns a new core reference, or NULL */
extern WpCore *wp_object_manager_get_core(WpObjectManager *self);
/* drops a reference to the core */
extern void wp_core_unref(WpCore *core);
/* starts a server round trip; calls cb(core, res, data) when it completes,
 * whatever happened to data in the meantime */
extern void wp_core_sync(WpCore *core, void *cancellable,
			 WpCoreSyncCallback cb, void *data);
/* g_signal_emit (self, signals[SIGNAL_OBJECTS_CHANGED], 0) */
extern void wp_object_manager_emit_objects_changed(WpObjectManager *self);

static void wp_object_manager_finalize(struct kref *ref)
{
	WpObjectManager *self = container_of(ref, WpObjectManager, ref);

	free(self);
}

WpObjectManager *wp_object_manager_ref(WpObjectManager *self)
{
	kref_get(&self->ref);
	return self;
}

void wp_object_manager_unref(WpObjectManager *self)
{
	kref_put(&self->ref, wp_object_manager_finalize);
}

static void sync_emit_objects_changed(WpCore *core, void *res, void *data)
{
	WpObjectManager *self = data;

	(void)core;
	(void)res;
	wp_object_manager_emit_objects_changed(self);
	self->pending_objchanged = false;
}

void schedule_emit_objects_changed(WpObjectManager *self)
{
	WpCore *core;

	if (self->pending_objchanged)
		return;

	core = wp_object_manager_get_core(self);
	if (core) {
		wp_core_sync(core, NULL, sync_emit_objects_changed, self); /* expect: rule 1 */
		self->pending_objchanged = true;
		wp_core_unref(core);
	}
}
