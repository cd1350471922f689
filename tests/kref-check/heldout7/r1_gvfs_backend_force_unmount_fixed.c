/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (not a copy) of a refcount bug fixed in gvfs.
 *
 * Repository: GNOME/gvfs
 * Commit:     1ccf7766efc57d9784e5e0b3cba33f5446052d24
 * Title:      "backend: Hold reference during force unmount"
 * Path:       daemon/gvfsbackend.c
 * Function:   g_vfs_backend_force_unmount()
 *
 * g_vfs_backend_force_unmount() (called when the device of a mount goes
 * away) blocks new requests and starts the asynchronous UnregisterMount
 * D-Bus call, passing the bare backend pointer as the callback's data.
 * forced_unregister_mount_callback() then closes the backend's channels and
 * marks its job source closed.  The function may be called several times,
 * or while a regular unmount is running, and the backend can be finalized
 * before the reply comes back: the callback then uses a freed backend.
 * Fixed by passing g_object_ref (backend) and dropping that reference at
 * the end of the callback.
 *
 * The backend's GObject count is modelled with a struct kref.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

typedef void *gpointer;
typedef struct _GAsyncResult GAsyncResult;
typedef struct _GVfsDaemon GVfsDaemon;
typedef void (*GAsyncReadyCallback)(gpointer source, GAsyncResult *res,
				    gpointer user_data);

typedef struct _GVfsBackend {
	struct kref ref_count;
	GVfsDaemon *daemon;
	char *object_path;
	int block_requests;
} GVfsBackend;

static void g_vfs_backend_finalize(struct kref *kref)
{
	GVfsBackend *backend = container_of(kref, GVfsBackend, ref_count);

	free(backend->object_path);
	free(backend);
}

static gpointer g_object_ref(GVfsBackend *backend)
{
	kref_get(&backend->ref_count);
	return backend;
}

static void g_object_unref(GVfsBackend *backend)
{
	kref_put(&backend->ref_count, g_vfs_backend_finalize);
}

/* starts the UnregisterMount call on the mount tracker; the D-Bus reply
 * comes later, from the main loop, and calls callback (..., user_data) */
extern void gvfs_dbus_mount_tracker_call_unregister_mount(const char *obj_path,
							  GAsyncReadyCallback callback,
							  gpointer user_data);
/* 1 when the reply is a success */
extern int gvfs_dbus_mount_tracker_call_unregister_mount_finish(gpointer proxy,
								GAsyncResult *res);
extern void g_vfs_daemon_close_active_channels(GVfsDaemon *daemon,
					       GVfsBackend *backend);
extern void g_vfs_job_source_closed(GVfsBackend *backend);

static void g_vfs_backend_set_block_requests(GVfsBackend *backend, int value)
{
	backend->block_requests = value;
}

static void g_vfs_backend_unregister_mount(GVfsBackend *backend,
					   GAsyncReadyCallback callback,
					   gpointer user_data)
{
	gvfs_dbus_mount_tracker_call_unregister_mount(backend->object_path,
						      callback, user_data);
}

static void forced_unregister_mount_callback(gpointer proxy,
					     GAsyncResult *res,
					     gpointer user_data)
{
	GVfsBackend *backend;

	if (!gvfs_dbus_mount_tracker_call_unregister_mount_finish(proxy, res))
		fprintf(stderr, "Error unregistering mount\n");

	/* Unlink job source from daemon */
	backend = user_data;
	g_vfs_daemon_close_active_channels(backend->daemon, backend);
	g_vfs_job_source_closed(backend);

	g_object_unref(backend);
}

void g_vfs_backend_force_unmount(GVfsBackend *backend)
{
	g_vfs_backend_set_block_requests(backend, 1);
	g_vfs_backend_unregister_mount(backend, forced_unregister_mount_callback, g_object_ref(backend));
}

GVfsBackend *g_vfs_backend_new(GVfsDaemon *daemon, const char *path)
{
	GVfsBackend *backend = calloc(1, sizeof(*backend));

	if (backend == NULL)
		return NULL;
	kref_init(&backend->ref_count);
	backend->daemon = daemon;
	backend->object_path = path ? strdup(path) : NULL;
	return backend;
}

/* the volume monitor saw the device go: force the unmount, and the mount
 * operation that owned the backend drops it */
void on_volume_removed(GVfsBackend *backend)
{
	g_vfs_backend_force_unmount(backend);
	g_object_unref(backend);
}
