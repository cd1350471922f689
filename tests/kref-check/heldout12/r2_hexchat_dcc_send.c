/* SPDX-License-Identifier: MIT */
/*
 * Project: hexchat/hexchat
 * Path: src/common/dcc.c
 * Fix: 226d54c90d604b5c085fe0e0206dd3f1e8decf2a
 * Bug: dcc_send() unreffed the GFileInfo as soon as it had read the file
 * type and size, and the error path taken when the file cannot be opened
 * unreffed it a second time (and then carried on with the closed DCC).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <kref.h>

typedef struct gfile {
	struct kref ref;
} GFile;

typedef struct gfile_info {
	struct kref ref;
	int type;
	int64_t size;
} GFileInfo;

struct session;

struct DCC {
	char *file;
	int64_t size;
	int fp;
};

#define G_FILE_TYPE_DIRECTORY 2

/* free a file / a file info once the last reference is gone */
extern void g_file_release(struct kref *ref);
extern void g_file_info_release(struct kref *ref);
/* returns a new GFile (one reference) or NULL */
extern GFile *g_file_new_for_path(const char *path);
/* returns a new GFileInfo (one reference) or NULL */
extern GFileInfo *g_file_query_info(GFile *file);
/* allocates a DCC */
extern struct DCC *new_dcc(void);
/* closes and frees the DCC (and dcc->file) */
extern void dcc_close(struct DCC *dcc, int dccstat, int destroy);
/* prints into the session window */
extern void PrintText(struct session *sess, const char *text);
/* opens the file read-only, -1 on failure */
extern int g_open(const char *path);
/* starts listening / offers the file to the peer */
extern void dcc_offer(struct DCC *dcc, struct session *sess, const char *to);

static void g_object_unref_file(GFile *file)
{
	kref_put(&file->ref, g_file_release);
}

static void g_object_unref(GFileInfo *info)
{
	kref_put(&info->ref, g_file_info_release);
}

void dcc_send(struct session *sess, char *to, char *filename)
{
	struct DCC *dcc;
	GFile *file;
	GFileInfo *file_info;
	int file_type;
	int64_t file_size;

	dcc = new_dcc();
	if (!dcc) {
		free(filename);
		return;
	}
	dcc->file = filename;

	file = g_file_new_for_path(filename);
	if (file == NULL) {
		PrintText(sess, "Cannot access file\n");
		dcc_close(dcc, 0, true);
		return;
	}

	file_info = g_file_query_info(file);

	g_object_unref_file(file);

	if (file_info == NULL) {
		PrintText(sess, "Cannot access file\n");
		dcc_close(dcc, 0, true);
		return;
	}

	file_type = file_info->type;
	file_size = file_info->size;

	g_object_unref(file_info);

	if (file_type == G_FILE_TYPE_DIRECTORY || file_size <= 0) {
		PrintText(sess, "Cannot send directories or empty files.\n");
		dcc_close(dcc, 0, true);
		return;
	}

	dcc->size = file_size;
	dcc->fp = g_open(filename);

	if (dcc->fp == -1) {
		PrintText(sess, "Cannot send directories or empty files.\n");

		g_object_unref(file_info); /* expect: rule 2 */
		dcc_close(dcc, 0, true);
	}

	dcc_offer(dcc, sess, to);
}
