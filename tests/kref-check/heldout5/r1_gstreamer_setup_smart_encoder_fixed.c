/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: GStreamer/gst-plugins-base
 * commit da160c57c843f793c6abb2233160f87c70955852 "encodebin: Fix refcount
 * mishandling" (MR !770), gst/encoding/gstencodebin.c,
 * setup_smart_encoder().  The stream group keeps the capsfilter it creates
 * in its field sgroup->smart_capsfilter (and unrefs it when the group is
 * freed).  When there is no parser, the capsfilter is handed to
 * gst_bin_add_many(), which takes over a reference, without a reference of
 * its own: the bin's and the group's share one.  The fix passes
 * gst_object_ref(sgroup->smart_capsfilter) in both arms.  GstObject
 * counted with a kref (floating references left out).
 */
#include <stdlib.h>
#include <kref.h>

typedef struct _GstElement { struct kref ref; } GstElement;
typedef struct _GstBin { GstElement element; } GstBin;
typedef struct _GstEncodeBin GstEncodeBin;
typedef struct _GstEncodingProfile GstEncodingProfile;

typedef struct {
	GstElement *smart_capsfilter;
	GstElement *smartencoder;
} StreamGroup;

#define GST_BIN(e) ((GstBin *)(e))

/* Each returns a new reference, or NULL. */
extern GstElement *_get_encoder(GstEncodeBin *ebin, GstEncodingProfile *sprof);
extern GstElement *_get_parser(GstEncodeBin *ebin, GstEncodingProfile *sprof);
extern GstElement *gst_element_factory_make(const char *factory, const char *name);
extern GstElement *gst_bin_new(const char *name);
/* Adds the NULL-terminated elements; the bin takes over one reference of
 * each. */
extern void gst_bin_add_many(GstBin *bin, GstElement *first, ...);
extern int gst_element_link_many(GstElement *first, ...);

static void gst_object_finalize(struct kref *ref)
{
	free(container_of(ref, GstElement, ref));
}

static GstElement *gst_object_ref(GstElement *e)
{
	kref_get(&e->ref);
	return e;
}

static void gst_object_unref(GstElement *e)
{
	kref_put(&e->ref, gst_object_finalize);
}

GstElement *setup_smart_encoder(GstEncodeBin *ebin, GstEncodingProfile *sprof,
				StreamGroup *sgroup)
{
	GstElement *encoder, *parser;
	GstElement *reencoder_bin = NULL;

	encoder = _get_encoder(ebin, sprof);
	if (!encoder)
		goto err;

	parser = _get_parser(ebin, sprof);
	sgroup->smart_capsfilter = gst_element_factory_make("capsfilter", NULL);
	reencoder_bin = gst_bin_new(NULL);

	gst_bin_add_many(GST_BIN(reencoder_bin),
			 gst_object_ref(encoder),
			 parser ? gst_object_ref(parser) :
			 gst_object_ref(sgroup->smart_capsfilter),
			 parser ? gst_object_ref(sgroup->smart_capsfilter) : NULL, NULL);

	if (!gst_element_link_many(encoder, parser ? parser : sgroup->smart_capsfilter,
				   parser ? sgroup->smart_capsfilter : NULL, NULL))
		goto err;

	gst_object_unref(encoder);
	if (parser)
		gst_object_unref(parser);
	return reencoder_bin;

err:
	if (encoder)
		gst_object_unref(encoder);
	if (reencoder_bin)
		gst_object_unref(reencoder_bin);
	return NULL;
}

void stream_group_free(StreamGroup *sgroup)
{
	if (sgroup->smart_capsfilter)
		gst_object_unref(sgroup->smart_capsfilter);
	free(sgroup);
}
