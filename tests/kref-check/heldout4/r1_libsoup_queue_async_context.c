/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: GNOME/libsoup commit
 * 6c24fd0e6d3d6a1b18829e72e2508ad6fcf6f9e7 "soup-message-queue: hold a
 * reference to the async context" (bugzilla 694920),
 * libsoup/soup-message-queue.c, soup_message_queue_append() and
 * soup_message_queue_item_unref().  The queue item kept the session's
 * GMainContext in its field `async_context` without a reference; WebKit
 * uses a new context for each synchronous request and drops it while the
 * item still uses it (crashes).  The fix refs it on append and unrefs it
 * when the item goes.  GMainContext's count written with struct kref.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct GMainContext { struct kref ref_count; } GMainContext;
typedef struct SoupSession SoupSession;
typedef struct SoupMessage SoupMessage;
typedef struct SoupMessageQueue SoupMessageQueue;

typedef struct SoupMessageQueueItem {
	SoupSession *session;
	SoupMessageQueue *queue;
	SoupMessage *msg;
	GMainContext *async_context;
	int ref_count;
} SoupMessageQueueItem;

/* Returns the session's async context, borrowed (the session owns it), or NULL. */
extern GMainContext *soup_session_get_async_context(SoupSession *session);
extern SoupSession *soup_message_queue_get_session(SoupMessageQueue *queue);
/* Links the item at the tail of the queue, under the queue's mutex. */
extern void soup_message_queue_link(SoupMessageQueue *queue, SoupMessageQueueItem *item);
extern void soup_message_queue_unlink(SoupMessageQueue *queue, SoupMessageQueueItem *item);

static void g_main_context_free(struct kref *ref)
{
	free(container_of(ref, GMainContext, ref_count));
}

/* Drops the reference the session holds, when the session goes. */
void soup_session_clear_async_context(GMainContext *context)
{
	kref_put(&context->ref_count, g_main_context_free);
}

SoupMessageQueueItem *soup_message_queue_append(SoupMessageQueue *queue, SoupMessage *msg)
{
	SoupMessageQueueItem *item = calloc(1, sizeof(*item));

	if (!item)
		return NULL;
	item->session = soup_message_queue_get_session(queue);
	item->async_context = soup_session_get_async_context(item->session); /* expect: rule 1 */
	item->queue = queue;
	item->msg = msg;
	item->ref_count = 1;
	soup_message_queue_link(queue, item);
	return item;
}

void soup_message_queue_item_unref(SoupMessageQueueItem *item)
{
	if (--item->ref_count > 0)
		return;
	soup_message_queue_unlink(item->queue, item);
	free(item);
}
