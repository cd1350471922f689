/* SPDX-License-Identifier: MIT */
/*
 * Project: linuxmint/nemo
 * Path: libnemo-private/nemo-file.c
 * Fix: 07f5a887c44d49946e94940e0995042719094425
 * Bug: nemo_file_mark_gone() lets nemo_directory_remove_file() put the
 * directory's reference, which may be the last one, and then goes on using
 * the file in nemo_file_clear_info().
 */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

typedef struct NemoDirectory NemoDirectory;

typedef struct NemoFileDetails {
	NemoDirectory *directory;
	char *name;
	void *info;
	bool is_gone;
	bool unconfirmed;
} NemoFileDetails;

typedef struct NemoFile {
	struct kref ref;
	NemoFileDetails *details;
} NemoFile;

struct NemoDirectory {
	int confirmed_file_count;
};

static void nemo_file_release(struct kref *ref)
{
	NemoFile *file = container_of(ref, NemoFile, ref);

	free(file->details->name);
	free(file->details);
	free(file);
}

NemoFile *nemo_file_ref(NemoFile *file)
{
	kref_get(&file->ref);
	return file;
}

void nemo_file_unref(NemoFile *file)
{
	kref_put(&file->ref, nemo_file_release);
}

/* Removes file from the directory's hash table and file list (no reference change). */
extern void extract_from_hash_table(NemoDirectory *directory, NemoFile *file);
/* Drops file from the directory's work queue (no reference change). */
extern void nemo_directory_remove_file_from_work_queue(NemoDirectory *directory,
						       NemoFile *file);
/* True while the directory's file list is monitored: then the list holds a reference to each file. */
extern bool nemo_directory_is_file_list_monitored(NemoDirectory *directory);
/* True when the file is the directory's own file (not in its list). */
extern bool nemo_file_is_self_owned(NemoFile *file);
/* Updates the files that link to this one; borrows file. */
extern void update_links_if_target(NemoFile *file);
/* Drops the file from the symlink hash table (no reference change). */
extern void remove_from_link_hash_table(NemoFile *file);
/* Frees the file's cached GFileInfo fields; writes to file->details. */
extern void nemo_file_clear_info(NemoFile *file);

void nemo_directory_remove_file(NemoDirectory *directory, NemoFile *file)
{
	extract_from_hash_table(directory, file);
	nemo_directory_remove_file_from_work_queue(directory, file);

	if (!file->details->unconfirmed)
		directory->confirmed_file_count--;

	/* Unref if we are monitoring. */
	if (nemo_directory_is_file_list_monitored(directory))
		nemo_file_unref(file);
}

void nemo_file_mark_gone(NemoFile *file)
{
	NemoDirectory *directory;

	if (file->details->is_gone)
		return;

	file->details->is_gone = true;

	update_links_if_target(file);

	/* Drop it from the symlink hash ! */
	remove_from_link_hash_table(file);

	/* Let the directory know it's gone. */
	directory = file->details->directory;
	/* Hold a temporary reference so the file outlives both calls below. */
	nemo_file_ref(file);
	if (!nemo_file_is_self_owned(file)) {
		nemo_directory_remove_file(directory, file);
	}

	nemo_file_clear_info(file);
	nemo_file_unref(file);
}
