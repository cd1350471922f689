/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/file-roller
 * Path: nautilus/nautilus-fileroller.c
 * Fix commit: 0b648c2012a13425862659dafbb1fda739f5e100
 * Bug: nautilus_fr_get_file_items() asks each selected file for its parent
 * (which returns a new reference) to check writability and never puts that
 * reference, leaking the parent NautilusFileInfo.
 */
#include <kref.h>
#include <stdbool.h>
#include <stdlib.h>

typedef struct NautilusFileInfo NautilusFileInfo;

struct NautilusFileInfo {
	struct kref ref;
	NautilusFileInfo *parent;	/* counted: the file holds a reference */
	bool writable;
	bool is_archive;
};

struct GList {
	void *data;
	struct GList *next;
};
typedef struct GList GList;

/* the "Extract Here" / "Compress..." menu items for the selection */
extern GList *nautilus_fr_build_items(bool all_archives, bool can_write,
				      bool one_item);

static void nautilus_file_info_release(struct kref *kref)
{
	NautilusFileInfo *info = container_of(kref, NautilusFileInfo, ref);

	if (info->parent)
		kref_put(&info->parent->ref, nautilus_file_info_release);
	free(info);
}

void nautilus_file_info_unref(NautilusFileInfo *info)
{
	kref_put(&info->ref, nautilus_file_info_release);
}

/* returns a new reference to the file's parent */
NautilusFileInfo *nautilus_file_info_get_parent_info(NautilusFileInfo *file)
{
	kref_get(&file->parent->ref);
	return file->parent;
}

static bool nautilus_file_info_can_write(NautilusFileInfo *info)
{
	return info->writable;
}

GList *nautilus_fr_get_file_items(void *provider, void *window, GList *files)
{
	GList *scan;
	bool can_write = true;
	bool all_archives = true;
	bool one_item;

	(void)provider;
	(void)window;

	if (files == NULL)
		return NULL;

	for (scan = files; scan; scan = scan->next) {
		NautilusFileInfo *file = scan->data;

		if (all_archives && !file->is_archive)
			all_archives = false;

		if (can_write) {
			NautilusFileInfo *parent;

			parent = nautilus_file_info_get_parent_info(file);
			can_write = nautilus_file_info_can_write(parent); /* expect: rule 2 */
		}
	}

	one_item = (files != NULL) && (files->next == NULL);

	return nautilus_fr_build_items(all_archives, can_write, one_item);
}
