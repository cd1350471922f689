/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/nautilus
 * Path:    extensions/image-properties/nautilus-image-properties-model.c
 * Fix:     559b89c90faf4425f4d23e578e96ac667986c6c0
 * Bug:     nautilus_image_properties_model_load_from_file_info() stores the
 *          caller's file info in the data of an asynchronous g_file_read
 *          without a reference, and the completion callback reads it later.
 */
#include <stdlib.h>
#include <kref.h>

struct NautilusFileInfo {
	struct kref ref;
	char *uri;
	char *mime_type;
};

struct GFileInputStream;

typedef struct {
	void *cancellable;
	void *loader;
	int pixbuf_still_loading;
	int width;
	int height;
	unsigned char buffer[8192];
} NautilusImagesPropertiesModel;

typedef struct {
	NautilusImagesPropertiesModel *self;
	struct NautilusFileInfo *file_info;
} FileOpenData;

/* Starts reading uri; calls callback(stream, user_data) later from the main loop. */
extern void g_file_read_async(const char *uri, void *cancellable,
			      void (*callback)(struct GFileInputStream *stream,
					       void *user_data),
			      void *user_data);
/* Starts reading the stream into self->buffer; the model outlives the read. */
extern void image_properties_start_read(NautilusImagesPropertiesModel *self,
					struct GFileInputStream *stream);
/* Creates a pixbuf loader for a MIME type. */
extern void *gdk_pixbuf_loader_new_with_mime_type(const char *mime_type);
/* Publishes what was loaded so far and stops. */
extern void load_finished(NautilusImagesPropertiesModel *self);
/* Returns a new cancellable owned by the caller. */
extern void *g_cancellable_new(void);

void nautilus_file_info_release(struct kref *ref)
{
	struct NautilusFileInfo *file_info =
		container_of(ref, struct NautilusFileInfo, ref);

	free(file_info->uri);
	free(file_info->mime_type);
	free(file_info);
}

static void file_open_callback(struct GFileInputStream *stream, void *user_data)
{
	FileOpenData *data = user_data;
	NautilusImagesPropertiesModel *self = data->self;

	if (stream != NULL) {
		self->loader =
			gdk_pixbuf_loader_new_with_mime_type(data->file_info->mime_type);
		self->pixbuf_still_loading = 1;
		self->width = 0;
		self->height = 0;
		image_properties_start_read(self, stream);
	} else {
		load_finished(self);
	}

	free(data);
}

void nautilus_image_properties_model_load_from_file_info(NautilusImagesPropertiesModel *self,
							 struct NautilusFileInfo *file_info)
{
	FileOpenData *data;

	if (file_info == NULL)
		return;

	self->cancellable = g_cancellable_new();

	data = calloc(1, sizeof(*data));
	if (!data)
		return;

	data->self = self;
	data->file_info = file_info; /* expect: rule 1 */

	g_file_read_async(file_info->uri, self->cancellable,
			  file_open_callback, data);
}
