/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/gnome-online-accounts
 * Path:    src/goaidentity/goaidentityservice.c
 * Fix:     9e1de9c3c06c8aab8358b53c3b494ce46dd7a07e
 * Bug:     add_temporary_account() stores the identity as the task data of
 *          the operation that lives across the asynchronous AddAccount call
 *          without taking a reference, so the identity can be gone when
 *          on_account_added() reads it back.
 */
#include <kref.h>
#include <stddef.h>
#include <stdlib.h>

typedef struct _GoaIdentity {
	struct kref ref;
	char *identifier;
} GoaIdentity;

typedef void (*GoaIdentityDestroyNotify)(GoaIdentity *identity);

/* the GTask that carries the identity across the D-Bus call */
typedef struct _GTask {
	struct kref ref;
	GoaIdentity *task_data;
	GoaIdentityDestroyNotify task_data_destroy;
} GTask;

typedef struct _GoaIdentityService GoaIdentityService;
typedef void (*AddAccountCallback)(GTask *operation_result);

/* Returns a new task with one reference. */
extern GTask *goa_task_new(GoaIdentityService *self);
/* Sends AddAccount over D-Bus; calls callback(operation_result) later from
 * the main loop and hands it the caller's task reference. */
extern void goa_manager_call_add_account(GoaIdentityService *self,
					 const char *principal,
					 AddAccountCallback callback,
					 GTask *operation_result);
/* Pending table: insert takes over a task reference, remove drops it. */
extern int pending_contains(GoaIdentityService *self, const char *principal);
extern void pending_insert(GoaIdentityService *self, const char *principal,
			   GTask *operation_result);
extern void pending_remove(GoaIdentityService *self, const char *principal);
/* Looks the new account up and refreshes its credentials. */
extern void ensure_account_credentials(GoaIdentityService *self,
				       const char *principal);
/* Returns the service that started the task (borrowed). */
extern GoaIdentityService *goa_task_get_source_object(GTask *task);
/* Frees a string. */
extern void g_free(void *mem);

static void goa_identity_release(struct kref *ref)
{
	GoaIdentity *identity = container_of(ref, GoaIdentity, ref);

	g_free(identity->identifier);
	free(identity);
}

void goa_identity_unref(GoaIdentity *identity)
{
	kref_put(&identity->ref, goa_identity_release);
}

static void g_task_release(struct kref *ref)
{
	GTask *task = container_of(ref, GTask, ref);

	if (task->task_data_destroy)
		task->task_data_destroy(task->task_data);
	free(task);
}

static void g_task_unref(GTask *task)
{
	kref_put(&task->ref, g_task_release);
}

static void g_task_set_task_data(GTask *task, GoaIdentity *data,
				 GoaIdentityDestroyNotify destroy)
{
	task->task_data = data;
	task->task_data_destroy = destroy;
}

static void on_account_added(GTask *operation_result)
{
	GoaIdentityService *self = goa_task_get_source_object(operation_result);
	GoaIdentity *identity = operation_result->task_data;
	const char *principal = identity->identifier;

	pending_remove(self, principal);
	ensure_account_credentials(self, principal);
	g_task_unref(operation_result);
}

void add_temporary_account(GoaIdentityService *self, GoaIdentity *identity)
{
	const char *principal = identity->identifier;
	GTask *operation_result;

	if (pending_contains(self, principal))
		return;

	operation_result = goa_task_new(self);
	kref_get(&identity->ref);
	g_task_set_task_data(operation_result, identity, goa_identity_unref);

	kref_get(&operation_result->ref);
	pending_insert(self, principal, operation_result);

	goa_manager_call_add_account(self, principal, on_account_added,
				     operation_result);
}
