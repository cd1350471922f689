/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: asterisk/asterisk commit
 * 80a609fcce1d89bbd50f22ffbf54cf4d8c7156fa "Bridging: Use a ref to
 * bridge_channel's channel to prevent crash", main/bridge_channel.c,
 * ast_bridge_channel_write_unhold(), and main/bridge.c, ast_bridge_join().
 * An attended transfer takes the transferee off hold from another thread
 * through ast_bridge_channel_write_unhold(), which publishes a stasis
 * message on bridge_channel->chan read with no lock and no reference; the
 * bridge thread, when the bridge is torn down, clears that field and the
 * channel can be hung up and released.  The fix adds
 * ast_bridge_channel_get_chan(), which takes a reference (ao2_bump) under
 * the bridge channel's lock, clears the field under that lock, and drops
 * the reference after publishing.  ao2 references written with a kref.
 */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

struct ast_channel { struct kref ref; const char *name; };

struct ast_bridge_channel {
	pthread_mutex_t lock;
	struct ast_channel *chan;
};

#define ao2_lock(bc) pthread_mutex_lock(&(bc)->lock)
#define ao2_unlock(bc) pthread_mutex_unlock(&(bc)->lock)
#define AST_CONTROL_UNHOLD 17

/* Publishes the channel's cached "unhold" stasis blob (reads chan). */
extern void ast_channel_publish_unhold(struct ast_channel *chan);
extern int ast_bridge_channel_write_control_data(struct ast_bridge_channel *bridge_channel,
						 int control, const void *data, size_t datalen);
/* Runs the bridge until the channel leaves it. */
extern void bridge_channel_internal_join(struct ast_bridge_channel *bridge_channel);

static void ast_channel_destructor(struct kref *ref)
{
	free(container_of(ref, struct ast_channel, ref));
}

void ast_channel_unref(struct ast_channel *chan)
{
	kref_put(&chan->ref, ast_channel_destructor);
}

/* The channel's own thread: joins the bridge, then hangs up. */
void ast_bridge_join(struct ast_bridge_channel *bridge_channel, struct ast_channel *chan)
{
	bridge_channel->chan = chan;
	bridge_channel_internal_join(bridge_channel);

	bridge_channel->chan = NULL;
	ast_channel_unref(chan);
}

int ast_bridge_channel_write_unhold(struct ast_bridge_channel *bridge_channel)
{
	ast_channel_publish_unhold(bridge_channel->chan); /* expect: rule 3 */

	return ast_bridge_channel_write_control_data(bridge_channel, AST_CONTROL_UNHOLD, NULL, 0);
}
