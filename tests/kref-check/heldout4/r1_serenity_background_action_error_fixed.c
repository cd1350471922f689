/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: SerenityOS/serenity PR #18015
 * "LibThreading: Resolve BackgroundAction error callback use-after-free"
 * (fixes #17935), Userland/Libraries/LibThreading/BackgroundAction.h (path
 * not checked).
 * When the action fails on the background thread, it posts its on_error
 * callback to the origin event loop with deferred_invoke(), capturing only
 * a raw `this`; the owner may drop the last reference before the loop runs
 * it.  The fix keeps a reference (NonnullRefPtr protector) in the
 * deferred closure until the callback has run.  RefCounted's count written
 * with struct kref, the lambda as a callback and its data.
 */
#include <stdlib.h>
#include <kref.h>

struct background_action {
	struct kref ref_count;
	void *origin_event_loop;
	int error;
	void (*on_error)(int error);
};

/* Posts cb(data) to be run later by the given event loop. */
extern void event_loop_deferred_invoke(void *loop, void (*cb)(void *), void *data);
/* Runs the action's work on the background pool; returns an error or 0. */
extern int background_action_run_work(struct background_action *action);

static void background_action_free(struct kref *ref)
{
	free(container_of(ref, struct background_action, ref_count));
}

static void background_action_unref(struct background_action *action)
{
	kref_put(&action->ref_count, background_action_free);
}

static void background_action_report_error(void *data)
{
	struct background_action *action = data;

	if (action->on_error)
		action->on_error(action->error);
	background_action_unref(action);
}

/* The thread-pool job: runs on a background thread. */
void background_action_job(struct background_action *action)
{
	int error = background_action_run_work(action);

	if (error) {
		action->error = error;
		kref_get(&action->ref_count);
		event_loop_deferred_invoke(action->origin_event_loop,
					   background_action_report_error, action);
		return;
	}
}
