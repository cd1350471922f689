/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/gnome-disk-utility
 * Path: src/disks/gdu-format-volume-dialog.c
 * Fix commit: eaec009dfd70868a3305a6504a031e3bc525e131
 * Bug: on_forward_button_clicked_cb() passes the dialog as user data of the
 * asynchronous CreatePartition D-Bus call without a reference and then
 * closes the dialog, which drops its last reference, so
 * create_partition_cb() later reads a freed dialog.
 */
#include <stdlib.h>
#include <kref.h>

struct UDisksPartitionTable;
struct UDisksClient;
struct UDisksObject;
struct UDisksBlock;

typedef void (*GAsyncReadyCallback)(void *source_object, void *res,
				    void *user_data);

struct GduFormatVolumeDialog {
	struct kref ref;
	struct UDisksClient *udisks_client;
	struct UDisksPartitionTable *udisks_table;
	struct UDisksObject *udisks_object;
	struct UDisksBlock *udisks_block;
	unsigned long long add_partition_offset;
	unsigned long long add_partition_size;
	int add_partition;
};

/* sends the D-Bus call; keeps callback and user_data until the reply, takes no reference */
extern void udisks_partition_table_call_create_partition(struct UDisksPartitionTable *table,
							 unsigned long long offset,
							 unsigned long long size,
							 void *options,
							 void *cancellable,
							 GAsyncReadyCallback callback,
							 void *user_data);
/* returns nonzero and a new object path on success */
extern int udisks_partition_table_call_create_partition_finish(void *source_object,
							       char **out_path,
							       void *res);
/* waits for the client's object manager to catch up */
extern void udisks_client_settle(struct UDisksClient *client);
/* pops up an error message for the dialog's parent window */
extern void gdu_utils_show_error(struct GduFormatVolumeDialog *self,
				 const char *message);
/* hides the window; the toplevel list drops the dialog's reference */
extern void gtk_window_close(struct GduFormatVolumeDialog *self);
/* frees the dialog's UDisks proxies */
extern void gdu_format_volume_dialog_free_members(struct GduFormatVolumeDialog *self);
/* formats the new partition as the user asked */
extern void gdu_format_volume_dialog_format_partition(struct GduFormatVolumeDialog *self,
						      const char *object_path);

static void gdu_format_volume_dialog_release(struct kref *ref)
{
	struct GduFormatVolumeDialog *self =
		container_of(ref, struct GduFormatVolumeDialog, ref);

	gdu_format_volume_dialog_free_members(self);
	free(self);
}

void gdu_format_volume_dialog_unref(struct GduFormatVolumeDialog *self)
{
	kref_put(&self->ref, gdu_format_volume_dialog_release);
}

static void create_partition_cb(void *source_object, void *res, void *user_data)
{
	struct GduFormatVolumeDialog *self = user_data;
	char *created_partition_object_path = NULL;

	if (!udisks_partition_table_call_create_partition_finish(source_object,
								 &created_partition_object_path,
								 res)) {
		gdu_utils_show_error(self, "Error creating partition");
		return;
	}

	udisks_client_settle(self->udisks_client);
	self->add_partition = 0;
	gdu_format_volume_dialog_format_partition(self, created_partition_object_path);
	free(created_partition_object_path);
}

void on_forward_button_clicked_cb(struct GduFormatVolumeDialog *self, void *button)
{
	struct UDisksPartitionTable *table = self->udisks_table;
	unsigned long long offset = self->add_partition_offset;
	unsigned long long size = self->add_partition_size;

	(void)button;
	udisks_partition_table_call_create_partition(table, offset, size, NULL, NULL, create_partition_cb, self); /* expect: rule 1 */

	gtk_window_close(self);
}
