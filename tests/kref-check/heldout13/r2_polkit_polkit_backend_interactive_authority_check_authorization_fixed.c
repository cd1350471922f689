/* SPDX-License-Identifier: MIT */
/*
 * Project: polkit-org/polkit
 * Path: src/polkitbackend/polkitbackendinteractiveauthority.c
 * Fix: 18936eedcdfa9871c6673da26372ed24b38a4807
 * Bug: when called from polkit itself (caller == NULL), the function creates
 * a PolkitSystemBusName for its own bus name and stores it in the caller
 * parameter, but the out: cleanup never unrefs it, so every self-invocation
 * leaks that subject.
 */
#include <kref.h>
#include <stdlib.h>

typedef struct _PolkitSubject {
	struct kref ref;
	char *name;
} PolkitSubject;

typedef struct _PolkitIdentity {
	struct kref ref;
	unsigned int uid;
} PolkitIdentity;

typedef struct _GDBusConnection GDBusConnection;
typedef struct _GSimpleAsyncResult GSimpleAsyncResult;
typedef struct _PolkitBackendSessionMonitor PolkitBackendSessionMonitor;

typedef struct _PolkitBackendInteractiveAuthority {
	PolkitBackendSessionMonitor *session_monitor;
} PolkitBackendInteractiveAuthority;

typedef struct _GError {
	int code;
} GError;

/* a new reference to the shared system bus connection */
extern GDBusConnection *g_bus_get_sync(void);
/* drops a reference to the connection */
extern void g_dbus_connection_unref(GDBusConnection *connection);
/* the connection's unique bus name, borrowed */
extern const char *g_dbus_connection_get_unique_name(GDBusConnection *connection);
/* aborts when out of memory */
extern void *g_malloc0(size_t size);
extern char *g_strdup(const char *s);
/* frees the object's memory and its name (the GObject finalize) */
extern void polkit_subject_finalize(PolkitSubject *subject);
extern void polkit_identity_finalize(PolkitIdentity *identity);
/* a newly allocated description of the subject */
extern char *polkit_subject_to_string(PolkitSubject *subject);
/* a new reference to the user owning subject; NULL with *error set */
extern PolkitIdentity *
polkit_backend_session_monitor_get_user_for_subject(PolkitBackendSessionMonitor *monitor,
						     PolkitSubject *subject,
						     GError **error);
/* decides the authorization and completes simple with the answer; takes no
 * reference to caller or subject */
extern void check_authorization_sync(PolkitBackendInteractiveAuthority *authority,
				     PolkitSubject *caller,
				     PolkitSubject *subject,
				     const char *action_id,
				     PolkitIdentity *user_of_caller,
				     GSimpleAsyncResult *simple);
/* completes simple with the error, then frees the error */
extern void g_simple_async_result_take_error(GSimpleAsyncResult *simple,
					     GError *error);
extern void g_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void polkit_subject_release(struct kref *ref)
{
	polkit_subject_finalize(container_of(ref, PolkitSubject, ref));
}

static void polkit_identity_release(struct kref *ref)
{
	polkit_identity_finalize(container_of(ref, PolkitIdentity, ref));
}

void polkit_subject_unref(PolkitSubject *subject)
{
	kref_put(&subject->ref, polkit_subject_release);
}

void polkit_identity_unref(PolkitIdentity *identity)
{
	kref_put(&identity->ref, polkit_identity_release);
}

/* new subject, one reference for the caller */
PolkitSubject *polkit_system_bus_name_new(const char *name)
{
	PolkitSubject *subject = g_malloc0(sizeof(*subject));

	kref_init(&subject->ref);
	subject->name = g_strdup(name);
	return subject;
}

/* caller is borrowed from the D-Bus method call, or NULL when polkit
 * checks an authorization for itself */
void polkit_backend_interactive_authority_check_authorization(PolkitBackendInteractiveAuthority *authority,
							       PolkitSubject *caller,
							       PolkitSubject *subject,
							       const char *action_id,
							       GSimpleAsyncResult *simple)
{
	PolkitSubject *local_caller = NULL;
	PolkitIdentity *user_of_caller = NULL;
	char *caller_str = NULL;
	GError *error = NULL;

	/* called by polkit itself: check on behalf of our own bus name */
	if (caller == NULL) {
		GDBusConnection *system_bus;

		system_bus = g_bus_get_sync();
		local_caller = polkit_system_bus_name_new(g_dbus_connection_get_unique_name(system_bus));
		caller = local_caller;
		g_dbus_connection_unref(system_bus);
	}

	caller_str = polkit_subject_to_string(caller);
	g_debug("%s is inquiring about %s", caller_str, action_id);

	user_of_caller = polkit_backend_session_monitor_get_user_for_subject(authority->session_monitor,
									     caller, &error);
	if (error != NULL) {
		g_simple_async_result_take_error(simple, error);
		goto out;
	}

	check_authorization_sync(authority, caller, subject, action_id,
				 user_of_caller, simple);

out:
	if (user_of_caller != NULL)
		polkit_identity_unref(user_of_caller);
	free(caller_str);

	if (local_caller != NULL)
		polkit_subject_unref(local_caller);
}
