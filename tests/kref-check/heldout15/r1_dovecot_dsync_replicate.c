/* SPDX-License-Identifier: MIT */
/*
 * Project: dovecot/core
 * Path:    src/replication/replicator/replicator-brain.c
 * Fix:     24ede7e56dfa93a422db8e277f1665de26473b1a
 * Bug: dsync_replicate() keeps the user in the sync context handed to the
 * asynchronous dsync client without a reference, so removing the user
 * ("doveadm replicator remove") while dsync runs leaves dsync_callback()
 * with a freed user.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <kref.h>

enum dsync_reply { DSYNC_REPLY_OK, DSYNC_REPLY_FAIL, DSYNC_REPLY_NOUSER };

struct replicator_queue;
struct dsync_client;

struct replicator_user {
	struct kref refcount;
	char *username;
	char *state;
	time_t last_fast_sync;
	bool last_sync_failed;
};

struct replicator_brain {
	struct replicator_queue *queue;
	bool deinitializing;
};

struct replicator_sync_context {
	struct replicator_brain *brain;
	struct replicator_user *user;
};

typedef void dsync_callback_t(enum dsync_reply reply, const char *state,
			      void *context);

/* returns a free dsync client connection, or NULL */
extern struct dsync_client *get_dsync_client(struct replicator_brain *brain);
/* starts an asynchronous dsync; calls callback(context) when done */
extern void dsync_client_sync(struct dsync_client *conn, const char *username,
			      const char *state, bool full,
			      dsync_callback_t *callback, void *context);
/* unlinks the user from the queue and drops the queue's reference */
extern void replicator_queue_remove(struct replicator_queue *queue,
				    struct replicator_user **user);
/* puts the user back in the queue (the queue keeps its reference) */
extern void replicator_queue_push(struct replicator_queue *queue,
				  struct replicator_user *user);
/* starts more syncs if connections are free */
extern void replicator_brain_fill(struct replicator_brain *brain);
/* returns a malloc()ed copy of str ("" for NULL) */
extern char *i_strdup_empty(const char *str);

static void replicator_user_free(struct kref *ref)
{
	struct replicator_user *user =
		container_of(ref, struct replicator_user, refcount);

	free(user->username);
	free(user->state);
	free(user);
}

void replicator_user_ref(struct replicator_user *user)
{
	kref_get(&user->refcount);
}

/* false if that was the last reference */
bool replicator_user_unref(struct replicator_user **_user)
{
	struct replicator_user *user = *_user;

	*_user = NULL;
	return !kref_put(&user->refcount, replicator_user_free);
}

static void dsync_callback(enum dsync_reply reply, const char *state,
			   void *context)
{
	struct replicator_sync_context *ctx = context;

	if (reply == DSYNC_REPLY_NOUSER) {
		/* user no longer exists, remove from replication */
		replicator_queue_remove(ctx->brain->queue, &ctx->user);
	} else {
		free(ctx->user->state);
		ctx->user->state = i_strdup_empty(state);
		ctx->user->last_sync_failed = reply != DSYNC_REPLY_OK;
		replicator_queue_push(ctx->brain->queue, ctx->user);
	}
	if (!ctx->brain->deinitializing)
		replicator_brain_fill(ctx->brain);
	free(ctx);
}

bool dsync_replicate(struct replicator_brain *brain,
		     struct replicator_user *user)
{
	struct replicator_sync_context *ctx;
	struct dsync_client *conn;

	conn = get_dsync_client(brain);
	if (conn == NULL)
		return false;

	user->last_fast_sync = time(NULL);

	ctx = calloc(1, sizeof(*ctx));
	if (ctx == NULL)
		return false;
	ctx->brain = brain;
	ctx->user = user; /* expect: rule 1 */
	dsync_client_sync(conn, user->username, user->state, false,
			  dsync_callback, ctx);
	return true;
}
