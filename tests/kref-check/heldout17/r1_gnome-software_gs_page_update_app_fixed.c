/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/gnome-software
 * Path:    src/gs-page.c
 * Fix:     c095fb7129650ef3d104080be1639d50e25b74a0
 * Bug:     gs_page_update_app() keeps the update job in the long-lived page
 *          helper without taking a reference; the function's own reference
 *          is dropped on return, so gs_page_helper_free() can disconnect its
 *          signal handler from an already freed job (seen when an update is
 *          cancelled before it finishes).
 */
#include <kref.h>
#include <stddef.h>
#include <stdlib.h>

typedef struct _GsApp GsApp;
typedef struct _GsPage GsPage;
typedef struct _GsPluginLoader GsPluginLoader;

typedef struct _GsPluginJob {
	struct kref ref;
	int propagate_error;
} GsPluginJob;

typedef struct {
	GsApp *app;		/* owned */
	GsPage *page;		/* owned */
	GsPluginJob *job;	/* owned */
	int propagate_error;
	unsigned long app_needs_user_action_id;
} GsPageHelper;

typedef void (*GsPageHelperCallback)(GsPageHelper *helper);

/* Returns a new job holding one reference. */
extern GsPluginJob *gs_plugin_job_update_apps_new(GsApp *app);
/* Runs the job; takes its own job reference for the asynchronous
 * operation, drops it before calling callback(helper) at the end. */
extern void gs_plugin_loader_job_process_async(GsPluginLoader *loader,
					       GsPluginJob *job,
					       GsPageHelperCallback callback,
					       GsPageHelper *helper);
/* Connect/disconnect the "app-needs-user-action" handler on the job. */
extern unsigned long gs_plugin_job_connect_needs_user_action(GsPluginJob *job,
							     GsPageHelper *helper);
extern void gs_plugin_job_disconnect(GsPluginJob *job, unsigned long id);
/* Reference helpers of the other objects (bodies do not matter). */
extern GsApp *gs_app_ref(GsApp *app);
extern void gs_app_unref(GsApp *app);
extern GsPage *gs_page_ref(GsPage *page);
extern void gs_page_unref(GsPage *page);
/* Returns the page's plugin loader (borrowed). */
extern GsPluginLoader *gs_page_get_plugin_loader(GsPage *page);

static void gs_plugin_job_release(struct kref *ref)
{
	free(container_of(ref, GsPluginJob, ref));
}

void gs_plugin_job_unref(GsPluginJob *job)
{
	kref_put(&job->ref, gs_plugin_job_release);
}

static void gs_page_helper_free(GsPageHelper *helper)
{
	if (helper->app_needs_user_action_id != 0)
		gs_plugin_job_disconnect(helper->job,
					 helper->app_needs_user_action_id);
	if (helper->job != NULL) {
		gs_plugin_job_unref(helper->job);
		helper->job = NULL;
	}
	if (helper->app != NULL)
		gs_app_unref(helper->app);
	if (helper->page != NULL)
		gs_page_unref(helper->page);
	free(helper);
}

static void gs_page_app_installed_cb(GsPageHelper *helper)
{
	gs_page_helper_free(helper);
}

void gs_page_update_app(GsPage *page, GsApp *app)
{
	GsPageHelper *helper;
	GsPluginJob *plugin_job;

	helper = calloc(1, sizeof(*helper));
	if (!helper)
		return;
	helper->app = gs_app_ref(app);
	helper->page = gs_page_ref(page);
	helper->propagate_error = 1;

	plugin_job = gs_plugin_job_update_apps_new(app);
	plugin_job->propagate_error = helper->propagate_error;
	kref_get(&plugin_job->ref);
	helper->job = plugin_job;

	helper->app_needs_user_action_id =
		gs_plugin_job_connect_needs_user_action(plugin_job, helper);

	gs_plugin_loader_job_process_async(gs_page_get_plugin_loader(page),
					   plugin_job,
					   gs_page_app_installed_cb, helper);

	/* g_autoptr(GsPluginJob) plugin_job goes out of scope */
	gs_plugin_job_unref(plugin_job);
}
