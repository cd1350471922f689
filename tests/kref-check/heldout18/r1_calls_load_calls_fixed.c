/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/calls
 * Path:    src/calls-record-store.c
 * Fix:     46736a63fa5da908af6cbde011e994b66c9a670b
 *          ("record-store: Ensure store stays alive during async tasks")
 * Bug: load_calls() and load_calls_find_cb() pass the record store as the
 * user data of GOM's asynchronous find and fetch with no reference; GOM
 * cannot cancel them, so the completions can run on a finalized store.
 *
 * The store's GObject count is a struct kref.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

typedef struct _GError { int code; char *message; } GError;
typedef struct _GAsyncResult GAsyncResult;
typedef struct _GomRepository GomRepository;
typedef struct _GomResourceGroup GomResourceGroup;
typedef struct _GomFilter GomFilter;
typedef struct _GomSorting GomSorting;

typedef struct {
	struct kref ref;
	char *filename;
	GomRepository *repository;
	unsigned int n_records;
} CallsRecordStore;

typedef void (*GAsyncReadyCallback)(void *source, GAsyncResult *res, void *user_data);

/* starts an uncancellable query; callback(repository, res, user_data) later */
extern void gom_repository_find_sorted_async(GomRepository *repository,
					     GomFilter *filter, GomSorting *sorting,
					     GAsyncReadyCallback callback,
					     void *user_data);
/* returns the group (new reference) or NULL with *error set */
extern GomResourceGroup *gom_repository_find_finish(GomRepository *repository,
						    GAsyncResult *res, GError **error);
/* starts an uncancellable fetch; callback(group, res, user_data) later */
extern void gom_resource_group_fetch_async(GomResourceGroup *group,
					   unsigned int index, unsigned int count,
					   GAsyncReadyCallback callback,
					   void *user_data);
extern bool gom_resource_group_fetch_finish(GomResourceGroup *group,
					    GAsyncResult *res, GError **error);
extern unsigned int gom_resource_group_get_count(GomResourceGroup *group);
/* new filter and sorting for the "start" column; freed with gom_query_free */
extern GomFilter *gom_filter_new_is_not_null(const char *column);
extern GomSorting *gom_sorting_new(const char *column);
extern void gom_query_free(GomFilter *filter, GomSorting *sorting);
extern void g_clear_error(GError **error);

static void calls_record_store_finalize(struct kref *ref)
{
	CallsRecordStore *self = container_of(ref, CallsRecordStore, ref);

	free(self->filename);
	free(self);
}

CallsRecordStore *g_object_ref(CallsRecordStore *self)
{
	kref_get(&self->ref);
	return self;
}

void g_object_unref(CallsRecordStore *self)
{
	kref_put(&self->ref, calls_record_store_finalize);
}

static void load_calls_fetch_cb(void *source, GAsyncResult *res, void *user_data)
{
	GomResourceGroup *group = source;
	CallsRecordStore *self = user_data;
	GError *error = NULL;

	gom_resource_group_fetch_finish(group, res, &error);
	if (error) {
		g_clear_error(&error);
		goto exit;
	}

	self->n_records += gom_resource_group_get_count(group);
exit:
	g_object_unref(self);
}

static void load_calls_find_cb(void *source, GAsyncResult *res, void *user_data)
{
	GomRepository *repository = source;
	CallsRecordStore *self = user_data;
	GError *error = NULL;
	GomResourceGroup *group;
	unsigned int count;

	group = gom_repository_find_finish(repository, res, &error);
	if (error) {
		g_clear_error(&error);
		goto exit;
	}

	count = gom_resource_group_get_count(group);
	if (count == 0)
		goto exit;

	gom_resource_group_fetch_async(group, 0, count, load_calls_fetch_cb, g_object_ref(self));
exit:
	g_object_unref(self);
}

void load_calls(CallsRecordStore *self)
{
	GomFilter *filter;
	GomSorting *sorting;

	filter = gom_filter_new_is_not_null("start");
	sorting = gom_sorting_new("start");

	gom_repository_find_sorted_async(self->repository, filter, sorting,
					 load_calls_find_cb, g_object_ref(self));

	gom_query_free(filter, sorting);
}
