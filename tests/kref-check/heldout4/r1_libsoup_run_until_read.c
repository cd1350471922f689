/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: GNOME/libsoup commit
 * 2a592b114092b0105f9f27af17225a3b35c288f8 "session: take a ref of the
 * item when calling soup_message_io_run_until_read_async",
 * libsoup/soup-session.c, async_send_request_running() and
 * run_until_read_done().  The queue item is handed to the async read as
 * the callback's data without a reference; on cancellation the item can
 * be finished by soup_session_process_queue_item(), which drops the last
 * reference before run_until_read_done() reaches
 * async_send_request_return_result().  The fix passes
 * soup_message_queue_item_ref(item) and unrefs it on every return of the
 * callback.  The item's atomic rc box written with struct kref.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct GError GError;
typedef struct GInputStream GInputStream;
typedef struct SoupMessage SoupMessage;
typedef struct SoupSession SoupSession;
typedef void (*GAsyncReadyCallback)(void *source, void *result, void *user_data);

typedef struct SoupMessageQueueItem {
	struct kref ref;
	SoupSession *session;
	SoupMessage *msg;
	void *cancellable;
	int io_priority;
	int io_started;
	int restarting;
} SoupMessageQueueItem;

/* Runs the message's I/O until the body can be read; calls callback(msg, result, user_data). */
extern void soup_message_io_run_until_read_async(SoupMessage *msg, int io_priority, void *cancellable,
						 GAsyncReadyCallback callback, void *user_data);
/* Returns the body stream (new reference) or NULL with *error set. */
extern GInputStream *soup_message_io_run_until_read_finish(SoupMessage *msg, void *result, GError **error);
extern void send_async_maybe_complete(SoupMessageQueueItem *item, GInputStream *stream);
extern void async_send_request_return_result(SoupMessageQueueItem *item, GInputStream *stream, GError *error);
/* Finishes the item: may drop the queue's reference on it. */
extern void soup_session_process_queue_item(SoupSession *session, SoupMessageQueueItem *item, int loop);
extern void g_error_free(GError *error);

static void soup_message_queue_item_destroy(struct kref *ref)
{
	free(container_of(ref, SoupMessageQueueItem, ref));
}

static void run_until_read_done(void *source, void *result, void *user_data)
{
	SoupMessage *msg = source;
	SoupMessageQueueItem *item = user_data;
	GInputStream *stream;
	GError *error = NULL;

	stream = soup_message_io_run_until_read_finish(msg, result, &error);
	if (error && (!item->io_started || item->restarting)) {
		/* Message was restarted, we'll try again. */
		g_error_free(error);
		return;
	}

	if (stream) {
		send_async_maybe_complete(item, stream);
		return;
	}

	soup_session_process_queue_item(item->session, item, 0);
	async_send_request_return_result(item, NULL, error);
}

void async_send_request_running(SoupSession *session, SoupMessageQueueItem *item)
{
	(void) session;
	soup_message_io_run_until_read_async(item->msg, item->io_priority, item->cancellable,
					     run_until_read_done,
					     item); /* expect: rule 1 */
	(void) soup_message_queue_item_destroy;
}
