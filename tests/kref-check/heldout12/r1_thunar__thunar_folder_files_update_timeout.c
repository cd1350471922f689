/* SPDX-License-Identifier: MIT */
/*
 * Project: xfce-mirror/thunar
 * Path: thunar/thunar-folder.c
 * Fix commit: 9d1eb555f68e55f42349b90df0a4b283c89f38fc
 * Bug: _thunar_folder_files_update_timeout() puts each removed ThunarFile
 * into the hash table it hands to the "files-removed" signal handlers
 * without a reference of the table's own, right after removing the file
 * from the folder's map dropped the folder's reference, so the file can be
 * destroyed (e.g. when a handler re-adds it and it leaves the pending
 * removed map) while the handlers still use the table.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <kref.h>

typedef struct _GHashTable GHashTable;
typedef struct {
	void *dummy[6];
} GHashTableIter;
typedef unsigned int (*GHashFunc)(const void *key);
typedef bool (*GEqualFunc)(const void *a, const void *b);
typedef void (*GDestroyNotify)(void *data);

typedef struct ThunarFile {
	struct kref ref;		/* the GObject reference count */
	char *display_name;
} ThunarFile;

typedef struct ThunarFolder {
	GHashTable *files_map;		/* keys hold a reference (destroy: g_object_unref) */
	GHashTable *removed_files_map;	/* removed since the last update; keys hold a
					 * reference, thunar_folder_add_file() drops it */
	unsigned int files_update_timeout_source_id;
} ThunarFolder;

/* GLib hash table API: the table calls its key destroy function, if any,
 * on every key it removes or frees; without one it keeps plain pointers */
extern unsigned int g_direct_hash(const void *v);
extern GHashTable *g_hash_table_new(GHashFunc hash, GEqualFunc equal);
extern GHashTable *g_hash_table_new_full(GHashFunc hash, GEqualFunc equal,
					 GDestroyNotify key_destroy,
					 GDestroyNotify value_destroy);
extern bool g_hash_table_add(GHashTable *table, void *key);
extern bool g_hash_table_contains(GHashTable *table, const void *key);
extern bool g_hash_table_remove(GHashTable *table, const void *key);
extern void g_hash_table_remove_all(GHashTable *table);
extern void g_hash_table_destroy(GHashTable *table);
extern void g_hash_table_iter_init(GHashTableIter *iter, GHashTable *table);
extern bool g_hash_table_iter_next(GHashTableIter *iter, void **key, void **value);
/* disconnects the folder's "changed"/"destroy" handlers from the file */
extern void g_signal_handlers_disconnect_by_data(ThunarFile *file, ThunarFolder *folder);
/* emits "files-removed" with the table; handlers borrow its entries */
extern void thunar_folder_emit_files_removed(ThunarFolder *folder, GHashTable *files);

static void thunar_file_finalize(struct kref *ref)
{
	ThunarFile *file = container_of(ref, ThunarFile, ref);

	free(file->display_name);
	free(file);
}

void *g_object_ref(void *object)
{
	ThunarFile *file = object;

	kref_get(&file->ref);
	return file;
}

void g_object_unref(void *object)
{
	ThunarFile *file = object;

	kref_put(&file->ref, thunar_file_finalize);
}

static bool _thunar_folder_remove_file(ThunarFolder *folder, ThunarFile *file)
{
	/* skip, if we dont have that file */
	if (!g_hash_table_contains(folder->files_map, file))
		return false;

	g_signal_handlers_disconnect_by_data(file, folder);

	/* the map's destroy function drops the folder's reference */
	g_hash_table_remove(folder->files_map, file);
	return true;
}

bool _thunar_folder_files_update_timeout(void *data)
{
	ThunarFolder *folder = data;
	ThunarFile *file;
	GHashTable *files = g_hash_table_new(g_direct_hash, NULL);
	GHashTableIter iter;
	void *key;

	/* send a 'files-removed' signal for all files which were removed */
	g_hash_table_iter_init(&iter, folder->removed_files_map);
	while (g_hash_table_iter_next(&iter, &key, NULL)) {
		file = key;
		if (_thunar_folder_remove_file(folder, file))
			g_hash_table_add(files, file); /* expect: rule 1 */
	}

	thunar_folder_emit_files_removed(folder, files);

	g_hash_table_destroy(files);
	g_hash_table_remove_all(folder->removed_files_map);

	folder->files_update_timeout_source_id = 0;
	return false;	/* G_SOURCE_REMOVE */
}
