/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/libsecret
 * Path: libsecret/secret-service.c
 * Fix: f83cd26858bb2e6dd15c7be29f5e27615ed66dd6
 * Bug: secret_service_real_prompt_finish() already owns the result it takes
 * out of the task, but takes one more reference before returning it, so the
 * caller's single put leaves the result leaked.
 */
#include <stdlib.h>
#include <kref.h>

/* A GVariant result of the prompt's Completed signal. */
typedef struct _GVariant {
	struct kref ref;
	void *data;
} GVariant;

typedef struct _GError GError;
typedef struct _GTask GTask;
typedef struct _SecretService SecretService;
typedef struct _SecretPrompt SecretPrompt;

static void g_variant_release(struct kref *ref)
{
	GVariant *v = container_of(ref, GVariant, ref);

	free(v->data);
	free(v);
}

/* No value here is floating, so sinking one takes a new reference. */
GVariant *g_variant_ref_sink(GVariant *value)
{
	kref_get(&value->ref);
	return value;
}

void g_variant_unref(GVariant *value)
{
	kref_put(&value->ref, g_variant_release);
}

/* Returns a new reference to the prompt's result, or NULL with *error set. */
extern GVariant *secret_prompt_perform_finish(SecretPrompt *prompt, GTask *result,
					      GError **error);
/* Stores value in the task, which owns it until it is propagated. */
extern void g_task_return_variant(GTask *task, GVariant *value);
extern void g_task_return_error(GTask *task, GError *error);
/* Hands the task's stored value (its reference) to the caller, or NULL. */
extern GVariant *g_task_propagate_variant(GTask *task, GError **error);
/* Drops the task; borrowed by callers. */
extern void g_task_unref(GTask *task);
/* Removes the D-Bus remote error prefix from *error. */
extern void _secret_util_strip_remote_error(GError **error);

void on_real_prompt_completed(SecretPrompt *source, GTask *result, GTask *task)
{
	GError *error = NULL;
	GVariant *retval;

	retval = secret_prompt_perform_finish(source, result, &error);
	if (retval != NULL)
		g_task_return_variant(task, retval);
	else
		g_task_return_error(task, error);

	g_task_unref(task);
}

GVariant *secret_service_real_prompt_finish(SecretService *self, GTask *result,
					    GError **error)
{
	GVariant *retval;

	(void)self;
	retval = g_task_propagate_variant(result, error);
	if (!retval) {
		_secret_util_strip_remote_error(error);
		return NULL;
	}

	return retval;
}
