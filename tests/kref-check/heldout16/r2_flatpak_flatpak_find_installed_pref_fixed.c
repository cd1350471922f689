/* SPDX-License-Identifier: MIT */
/*
 * Project: flatpak/flatpak
 * Path:    app/flatpak-builtins-utils.c
 * Fix:     20c9d8477d1e16417e085864da818c5f323c185a
 * Bug:     flatpak_find_installed_pref() keeps a plain copy of the
 *          installation it found (dir = installation_dir), but the loop's
 *          g_autoptr unrefs installation_dir on break, so the final
 *          g_object_ref (dir) touches a dir that may already be freed.
 */
#include <kref.h>
#include <stdbool.h>
#include <stddef.h>

/* A FlatpakDir: its GObject reference count is the kref. */
typedef struct FlatpakDir {
	struct kref ref;
	char *path;
} FlatpakDir;

/* Frees the dir's paths, repo and caches (GObject finalize). */
extern void flatpak_dir_finalize(FlatpakDir *self);
/* Returns a new reference to the per-user installation. */
extern FlatpakDir *flatpak_dir_get_user(void);
/* Returns a new reference to the named system installation, or NULL. */
extern FlatpakDir *flatpak_dir_get_system_by_id(const char *id);
/* Returns the installed ref matching id (newly allocated), or NULL. */
extern char *flatpak_dir_find_installed_ref(FlatpakDir *self,
					    const char *id);

static void flatpak_dir_release(struct kref *kref)
{
	flatpak_dir_finalize(container_of(kref, FlatpakDir, ref));
}

/* g_autoptr(FlatpakDir): g_object_unref at scope exit. */
KREF_DEFINE_PUT(flatpak_dir, FlatpakDir, ref, flatpak_dir_release);

FlatpakDir *flatpak_find_installed_pref(const char *id, bool search_user,
					char **search_installations,
					char **out_ref)
{
	char *ref = NULL;
	FlatpakDir *dir __free(flatpak_dir) = NULL;
	FlatpakDir *user_dir __free(flatpak_dir) = NULL;

	if (search_user) {
		user_dir = flatpak_dir_get_user();
		ref = flatpak_dir_find_installed_ref(user_dir, id);
		if (ref)
			dir = no_free_ptr(user_dir);
	}

	if (ref == NULL && search_installations != NULL) {
		int i;

		for (i = 0; search_installations[i] != NULL; i++) {
			FlatpakDir *installation_dir __free(flatpak_dir) = NULL;

			installation_dir =
				flatpak_dir_get_system_by_id(search_installations[i]);
			if (installation_dir == NULL)
				return NULL;

			ref = flatpak_dir_find_installed_ref(installation_dir, id);
			if (ref) {
				dir = no_free_ptr(installation_dir);
				break;
			}
		}
	}

	if (ref == NULL)
		return NULL;

	*out_ref = ref;
	return_ptr(dir);
}
