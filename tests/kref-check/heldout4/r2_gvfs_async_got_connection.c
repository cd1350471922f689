/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: GNOME/gvfs commit
 * 4f8aaa5efc82a18d0297ab4636870d4ac52933ba "client: Fix use-after-free
 * when creating async proxy failed" (fixes gvfs#842),
 * client/gdaemonfile.c, async_got_connection_cb() and
 * async_proxy_create_free().  On G_VFS_ERROR_RETRY the callback unrefs
 * data->mount_info and reuses the same AsyncProxyCreate for a new mount
 * lookup, leaving the field pointing at the released object; if the new
 * lookup fails, async_proxy_create_free() unrefs it again.  The fix clears
 * the field (g_clear_pointer).  GMountInfo's count written with struct
 * kref.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct GMountInfo { struct kref ref_count; char *dbus_id; } GMountInfo;
typedef struct GError { int domain, code; } GError;

typedef struct AsyncProxyCreate {
	void *task;
	GMountInfo *mount_info;
	void *connection;
} AsyncProxyCreate;

#define G_VFS_ERROR_RETRY 1

/* Looks the mount up again; calls async_got_mount_info(info or NULL, data). */
extern void _g_daemon_vfs_get_mount_info_async(void *mount_spec, const char *path,
					       void (*cb)(GMountInfo *, void *, GError *), void *data);
extern void *daemon_file_mount_spec(void *task);
extern const char *daemon_file_path(void *task);
extern void g_task_return_error(void *task, GError *error);
extern void g_object_unref(void *object);

static void g_mount_info_free(struct kref *ref)
{
	free(container_of(ref, GMountInfo, ref_count));
}

static void g_mount_info_unref(GMountInfo *info)
{
	kref_put(&info->ref_count, g_mount_info_free);
}

static void async_proxy_create_free(AsyncProxyCreate *data)
{
	if (data->mount_info)
		g_mount_info_unref(data->mount_info);
	g_object_unref(data->task);
	free(data);
}

static void async_got_connection_cb(void *connection, GError *io_error, void *callback_data);

static void async_got_mount_info(GMountInfo *mount_info, void *_data, GError *error)
{
	AsyncProxyCreate *data = _data;

	if (error) {
		g_task_return_error(data->task, error);
		async_proxy_create_free(data);
		return;
	}
	data->mount_info = mount_info;
	async_got_connection_cb(NULL, NULL, data);
}

static void async_got_connection_cb(void *connection, GError *io_error, void *callback_data)
{
	AsyncProxyCreate *data = callback_data;

	if (io_error && io_error->code == G_VFS_ERROR_RETRY) {
		g_mount_info_unref(data->mount_info); /* expect: rule 2 */
		_g_daemon_vfs_get_mount_info_async(daemon_file_mount_spec(data->task),
						   daemon_file_path(data->task),
						   async_got_mount_info, data);
		return;
	}
	data->connection = connection;
}

void start(AsyncProxyCreate *data)
{
	async_got_connection_cb(NULL, NULL, data);
}
