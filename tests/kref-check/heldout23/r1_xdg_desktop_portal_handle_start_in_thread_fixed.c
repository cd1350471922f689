/* SPDX-License-Identifier: MIT */
/*
 * Project: flatpak/xdg-desktop-portal
 * Path:    src/web-extensions.c
 * Fix:     d5a5260d7cd848c6ae0e1fcc4283a9f486889de7
 * Bug:     handle_start_in_thread() registers a child watch whose callback
 *          gets the session as bare user data, with no reference, so the
 *          session can be freed (close_sessions_in_thread_func()) before or
 *          while on_server_exited() runs.
 */
#include <kref.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/types.h>

#define G_PRIORITY_DEFAULT 0

typedef pid_t GPid;
typedef void (*GChildWatchFunc)(GPid pid, int status, void *user_data);
typedef void (*GDestroyNotify)(void *data);

typedef enum {
	WEB_EXTENSIONS_SESSION_STATE_INIT,
	WEB_EXTENSIONS_SESSION_STATE_STARTING,
	WEB_EXTENSIONS_SESSION_STATE_STARTED,
	WEB_EXTENSIONS_SESSION_STATE_CLOSED,
} WebExtensionsSessionState;

typedef struct _WebExtensionsSession {
	struct kref ref;		/* XdpSession's GObject reference count */
	pthread_mutex_t mutex;		/* SESSION_AUTOLOCK */
	WebExtensionsSessionState state;
	GPid child_pid;
	unsigned int child_watch_id;
	int standard_input;
	int standard_output;
	int standard_error;
} WebExtensionsSession;

typedef struct _XdpRequest {
	bool exported;
} XdpRequest;

/* calls func(pid, status, data) on the main loop when the child exits */
extern unsigned int g_child_watch_add(GPid pid, GChildWatchFunc func, void *data);
/* same, and calls notify(data) when the watch source is destroyed */
extern unsigned int g_child_watch_add_full(int priority, GPid pid,
					   GChildWatchFunc func, void *data,
					   GDestroyNotify notify);
/* spawns the native messaging host with pipes; false on failure */
extern bool spawn_server(const char *server_path, GPid *pid, int *in,
			 int *out, int *err);
/* unexports the session and drops the reference the session list holds */
extern void xdp_session_close(WebExtensionsSession *session, bool notify_closed);
extern void xdp_request_emit_response_and_unexport(XdpRequest *request,
						   unsigned int response);

static void web_extensions_session_finalize(struct kref *ref)
{
	WebExtensionsSession *we_session =
		container_of(ref, WebExtensionsSession, ref);

	pthread_mutex_destroy(&we_session->mutex);
	free(we_session);
}

/* g_object_unref() on the session */
void web_extensions_session_unref(void *object)
{
	WebExtensionsSession *we_session = object;

	kref_put(&we_session->ref, web_extensions_session_finalize);
}

static void on_server_exited(GPid pid, int status, void *user_data)
{
	WebExtensionsSession *we_session = user_data;

	(void)pid;
	(void)status;
	pthread_mutex_lock(&we_session->mutex);
	we_session->child_pid = -1;
	we_session->child_watch_id = 0;
	xdp_session_close(we_session, true);
	pthread_mutex_unlock(&we_session->mutex);
}

/* the caller holds a reference on we_session for the duration of the call */
void handle_start_in_thread(XdpRequest *request,
			    WebExtensionsSession *we_session,
			    const char *server_path)
{
	unsigned int response = 2;
	bool should_close_session;

	pthread_mutex_lock(&we_session->mutex);
	if (!spawn_server(server_path, &we_session->child_pid,
			  &we_session->standard_input,
			  &we_session->standard_output,
			  &we_session->standard_error)) {
		we_session->child_pid = -1;
		goto out;
	}

	kref_get(&we_session->ref);
	we_session->child_watch_id = g_child_watch_add_full(G_PRIORITY_DEFAULT,
							    we_session->child_pid,
							    on_server_exited,
							    we_session,
							    web_extensions_session_unref);
	we_session->state = WEB_EXTENSIONS_SESSION_STATE_STARTED;
	response = 0;

out:
	should_close_session = !request->exported || response != 0;
	if (request->exported)
		xdp_request_emit_response_and_unexport(request, response);
	if (should_close_session)
		xdp_session_close(we_session, true);
	pthread_mutex_unlock(&we_session->mutex);
}
