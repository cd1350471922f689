/* SPDX-License-Identifier: MIT */
/*
 * Project: GStreamer/gstreamer
 * Path:    subprojects/gst-editing-services/ges/ges-formatter.c
 * Fix:     0301349ea18fd744004ea4f1c08f986015f4739f
 * Bug:     ges_formatter_load_from_uri() saves the caller's timeline in
 *          formatter->timeline without a reference, but the formatter keeps
 *          using it asynchronously after the call returns.
 */
#include <stdbool.h>
#include <stddef.h>
#include <kref.h>

typedef struct GESTimeline {
	struct kref ref;
	void *layers;
	void *tracks;
} GESTimeline;

typedef struct GESFormatter GESFormatter;

typedef struct {
	/* may finish the load later from the main loop, using formatter->timeline */
	bool (*load_from_uri)(GESFormatter *formatter, GESTimeline *timeline,
			      const char *uri, void **error);
} GESFormatterClass;

struct GESFormatter {
	const GESFormatterClass *klass;
	void *project;
	GESTimeline *timeline;
};

/* frees the layers, tracks and the timeline itself */
extern void ges_timeline_finalize(GESTimeline *timeline);
/* replaces formatter->project, dropping the formatter's hold on the old one */
extern void ges_formatter_set_project(GESFormatter *formatter, void *project);

static void ges_timeline_release(struct kref *ref)
{
	ges_timeline_finalize(container_of(ref, GESTimeline, ref));
}

void
gst_clear_object(GESTimeline **timeline_ptr)
{
	GESTimeline *timeline = *timeline_ptr;

	*timeline_ptr = NULL;
	if (timeline)
		kref_put(&timeline->ref, ges_timeline_release);
}

void
ges_formatter_dispose(GESFormatter *self)
{
	gst_clear_object(&self->timeline);
	ges_formatter_set_project(self, NULL);
}

bool
ges_formatter_load_from_uri(GESFormatter *formatter, GESTimeline *timeline,
			    const char *uri, void **error)
{
	bool ret = false;
	const GESFormatterClass *klass = formatter->klass;

	if (timeline == NULL)
		return false;

	if (klass->load_from_uri) {
		kref_get(&timeline->ref);
		formatter->timeline = timeline;
		ret = klass->load_from_uri(formatter, timeline, uri, error);
	}

	return ret;
}
