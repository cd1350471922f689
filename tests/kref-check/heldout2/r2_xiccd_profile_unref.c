/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: agalakhov/xiccd commit
 * dbbc1ec30ba3f95f2dd7c6115c2bd6edf802f3ad "fix error message" (PR #23,
 * fixes #19), src/xiccd.c, update_profile_cb().  The async callback of
 * cd_profile_connect() ends with g_object_unref(profile), but it was given
 * no reference: the profile is the signal's argument, borrowed by
 * update_profile(), and its owner drops the only reference later: a
 * double put ("g_object_unref: assertion 'G_IS_OBJECT (object)' failed").
 * GObject's count written here with struct kref.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct { struct kref ref_count; } GObject;
typedef GObject CdProfile;
typedef GObject CdDevice;
typedef GObject CdClient;
typedef struct GAsyncResult GAsyncResult;
typedef struct GError { const char *message; } GError;
typedef void (*GAsyncReadyCallback)(GObject *src, GAsyncResult *res, void *user_data);
typedef struct { CdClient *cli; void *rcon; } Daemon;

static void g_object_finalize(struct kref *ref)
{
	free(container_of(ref, GObject, ref_count));
}

static void g_object_unref(void *object)
{
	kref_put(&((GObject *) object)->ref_count, g_object_finalize);
}

int cd_profile_connect_finish(CdProfile *profile, GAsyncResult *res, GError **error);
void cd_profile_connect(CdProfile *profile, void *cancellable, GAsyncReadyCallback cb, void *user_data);
const char *cd_profile_get_metadata_item(CdProfile *profile, const char *key);
/* Returns a new reference, or NULL. */
CdDevice *cd_client_find_device_sync(CdClient *cli, const char *id, void *cancellable, GError **error);
void xiccd_add_profile_to_device(CdDevice *device, CdProfile *profile, Daemon *daemon);
void g_error_free(GError *err);

static void update_profile_cb(GObject *src, GAsyncResult *res, void *user_data)
{
	CdProfile *profile = src;
	Daemon *daemon = user_data;
	GError *err = NULL;
	const char *edid_md5;
	CdDevice *device = NULL;

	if (!cd_profile_connect_finish(profile, res, &err)) {
		g_error_free(err);
		goto out;
	}

	edid_md5 = cd_profile_get_metadata_item(profile, "EDID_md5");
	if (!edid_md5)
		goto out;

	device = cd_client_find_device_sync(daemon->cli, edid_md5, NULL, &err);
	if (!device) {
		g_error_free(err);
		goto out;
	}
	xiccd_add_profile_to_device(device, profile, daemon);
out:
	if (device)
		g_object_unref(device);
	g_object_unref(profile);	/* expect: rule 2 */
}

static void update_profile(CdProfile *profile, Daemon *daemon)
{
	cd_profile_connect(profile, NULL, update_profile_cb, daemon);
}

/* "profile-added" signal handler: the profile is borrowed from the emitter. */
void cd_profile_added_sig(CdClient *client, CdProfile *profile, Daemon *daemon)
{
	(void) client;
	update_profile(profile, daemon);
}
