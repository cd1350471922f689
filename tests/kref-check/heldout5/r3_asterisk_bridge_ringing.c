/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: asterisk/asterisk commit
 * 7d28165cb1b2d02d66e8693bd3fe23ee72fc55d8 "bridge_basic.c: Make sure that
 * ast_bridge_channel is not destroyed while iterating over
 * bridge->channels" (issue #768), main/bridge_basic.c, bridge_ringing(),
 * bridge_hold() and bridge_unhold(), which call
 * ast_bridge_queue_everyone_else() (main/bridge_channel.c).  That function
 * walks bridge->channels and queues a frame on each bridge channel; the
 * attended-transfer hooks called it without the bridge lock, while a
 * channel leaving the bridge is pulled from the list under the bridge lock
 * and its last reference dropped (a core showed a bridge channel with
 * refcount 0 in the walk).  The fix locks the bridge around the call.
 * ao2 reference counting written with a kref.
 */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

#define AST_LIST_ENTRY(type) struct { struct type *next; }
#define AST_LIST_HEAD_NOLOCK(name, type) struct name { struct type *first; }
#define AST_LIST_TRAVERSE(head, var, field) \
	for ((var) = (head)->first; (var); (var) = (var)->field.next)

struct ast_frame { int frametype; int subclass; };
#define AST_FRAME_NULL 0
#define AST_FRAME_CONTROL 4
#define AST_CONTROL_RINGING 3
#define AST_CONTROL_HOLD 16

struct ast_bridge_channel {
	struct kref ref;
	pthread_mutex_t lock;
	AST_LIST_ENTRY(ast_bridge_channel) entry;
};

struct ast_bridge {
	pthread_mutex_t lock;
	AST_LIST_HEAD_NOLOCK(, ast_bridge_channel) channels;
};

#define ast_bridge_lock(b) pthread_mutex_lock(&(b)->lock)
#define ast_bridge_unlock(b) pthread_mutex_unlock(&(b)->lock)

/* Locks bridge_channel and appends a copy of frame to its write queue;
 * 0 if queued. */
extern int ast_bridge_channel_queue_frame(struct ast_bridge_channel *bridge_channel,
					  struct ast_frame *frame);
/* Unlinks bridge_channel from bridge->channels (bridge locked). */
extern void bridge_channels_remove(struct ast_bridge *bridge, struct ast_bridge_channel *bridge_channel);

static void bridge_channel_destroy(struct kref *ref)
{
	free(container_of(ref, struct ast_bridge_channel, ref));
}

int ast_bridge_queue_everyone_else(struct ast_bridge *bridge,
				   struct ast_bridge_channel *bridge_channel,
				   struct ast_frame *frame)
{
	struct ast_bridge_channel *cur;
	int not_written = -1;

	if (frame->frametype == AST_FRAME_NULL)
		return 0;

	AST_LIST_TRAVERSE(&bridge->channels, cur, entry) {
		if (cur == bridge_channel)
			continue;
		if (!ast_bridge_channel_queue_frame(cur, frame))
			not_written = 0;
	}
	return not_written;
}

/* The channel's bridge thread, when it leaves the bridge. */
void bridge_channel_leave(struct ast_bridge *bridge, struct ast_bridge_channel *bridge_channel)
{
	ast_bridge_lock(bridge);
	bridge_channels_remove(bridge, bridge_channel);
	ast_bridge_unlock(bridge);

	kref_put(&bridge_channel->ref, bridge_channel_destroy);
}

void bridge_ringing(struct ast_bridge *bridge)
{
	struct ast_frame ringing = {
		.frametype = AST_FRAME_CONTROL,
		.subclass = AST_CONTROL_RINGING,
	};

	ast_bridge_queue_everyone_else(bridge, NULL, &ringing); /* expect: rule 3 */
}

void bridge_hold(struct ast_bridge *bridge)
{
	struct ast_frame hold = {
		.frametype = AST_FRAME_CONTROL,
		.subclass = AST_CONTROL_HOLD,
	};

	ast_bridge_queue_everyone_else(bridge, NULL, &hold); /* expect: rule 3 */
}
