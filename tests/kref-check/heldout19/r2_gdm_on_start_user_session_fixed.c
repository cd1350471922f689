/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/gdm
 * Path:    daemon/gdm-manager.c
 * Fix:     1c09f6a7c4da599b03263a33b73252318ad5a17e
 * Bug: on_start_user_session() takes a guard reference on the greeter display
 * so it survives the function, but drops it only on the autologin path; on
 * every other path the reference leaks and the display is never destroyed.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <kref.h>

/* GdmDisplay: a reference-counted GObject. */
typedef struct {
	struct kref ref;
	bool doing_initial_setup;
} GdmDisplay;

typedef struct GdmSession GdmSession;
typedef struct GdmDisplayStore GdmDisplayStore;

typedef struct {
	GdmDisplayStore *display_store;
	GdmDisplay *automatic_login_display;	/* weak pointer */
} GdmManager;

typedef struct {
	GdmManager *manager;
	GdmSession *session;
	char *service_name;
} StartUserSessionOperation;

enum { GDM_SESSION_DISPLAY_MODE_REUSE_VT = 1 };

/* Returns the display the session runs on; borrowed (object data). */
extern GdmDisplay *get_display_for_user_session(GdmSession *session);
/* Jumps to an already running session of the same user if there is one. */
extern bool switch_to_compatible_user_session(GdmManager *manager, GdmSession *session,
					      bool fail_if_already_switched);
extern void gdm_session_reset(GdmSession *session);
extern void destroy_start_user_session_operation(StartUserSessionOperation *operation);
extern const char *gdm_session_get_conversation_session_id(GdmSession *session,
							    const char *service_name);
extern int gdm_session_get_display_mode(GdmSession *session);
extern void gdm_display_stop_greeter_session(GdmDisplay *display);
/* Marks the display as now running the user session with this id. */
extern void gdm_display_set_user_session(GdmDisplay *display, const char *session_id);
/* Marks the initial-setup display as waiting to finish. */
extern void gdm_display_set_waiting_to_finish(GdmDisplay *display);
extern uid_t gdm_session_get_allowed_user(GdmSession *session);
/* Clears the display <-> session object-data links (no references held). */
extern void untie_display_and_session(GdmDisplay *display, GdmSession *session);
/* Starts a new login session on the display; takes its own references. */
extern void create_user_session_for_display(GdmManager *manager, GdmDisplay *display,
					    uid_t allowed_uid);
/* Creates a bookkeeping display for the user session and attaches it to it. */
extern void create_display_for_user_session(GdmManager *manager, GdmSession *session,
					    const char *session_id);
extern bool gdm_session_client_is_connected(GdmSession *session);
/* Drops the store's reference on the display. */
extern void gdm_display_store_remove(GdmDisplayStore *store, GdmDisplay *display);
extern void start_user_session(GdmManager *manager, StartUserSessionOperation *operation);

extern void gdm_display_finalize(struct kref *ref);

static void g_object_ref(GdmDisplay *display)
{
	kref_get(&display->ref);
}

static void g_object_unref(GdmDisplay *display)
{
	kref_put(&display->ref, gdm_display_finalize);
}

int on_start_user_session(StartUserSessionOperation *operation)
{
	GdmManager *self = operation->manager;
	bool migrated;
	GdmDisplay *display;
	const char *session_id;

	migrated = switch_to_compatible_user_session(operation->manager,
						     operation->session, true);
	if (migrated) {
		gdm_session_reset(operation->session);
		destroy_start_user_session_operation(operation);
		goto out;
	}

	display = get_display_for_user_session(operation->session);

	session_id = gdm_session_get_conversation_session_id(operation->session,
							     operation->service_name);

	if (gdm_session_get_display_mode(operation->session) == GDM_SESSION_DISPLAY_MODE_REUSE_VT) {
		/* The greeter's display turns into the user session display. */
		gdm_display_stop_greeter_session(display);
		gdm_display_set_user_session(display, session_id);
	} else {
		uid_t allowed_uid;

		g_object_ref(display);
		if (display->doing_initial_setup)
			gdm_display_set_waiting_to_finish(display);

		/* The user session follows the worker into a new display; untie
		 * it from this one and start a fresh login screen here. */
		allowed_uid = gdm_session_get_allowed_user(operation->session);
		untie_display_and_session(display, operation->session);
		create_user_session_for_display(operation->manager, display, allowed_uid);

		create_display_for_user_session(operation->manager, operation->session,
						session_id);

		if (strcmp(operation->service_name, "gdm-autologin") == 0 &&
		    !gdm_session_client_is_connected(operation->session)) {
			/* No greeter will be shown: drop the unused display */
			gdm_display_store_remove(self->display_store, display);

			self->automatic_login_display =
				get_display_for_user_session(operation->session);
		}

		g_object_unref(display);
	}

	start_user_session(operation->manager, operation);

out:
	return 0;	/* G_SOURCE_REMOVE */
}
