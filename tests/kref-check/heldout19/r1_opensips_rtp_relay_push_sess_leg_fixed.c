/* SPDX-License-Identifier: MIT */
/*
 * Project: OpenSIPS/opensips
 * Path: modules/rtp_relay/rtp_relay_ctx.c
 * Fix: 3aeeee43111ef78d6224e81e70f820961965bef3
 * Bug: rtp_relay_push_sess_leg() links a leg (owned by the context's leg
 * list) into a session without taking a reference, yet freeing the session
 * drops one, so the leg is freed while the context still lists it.
 */
#include <stdlib.h>
#include <kref.h>

#define RTP_RELAY_CALLER	0
#define RTP_RELAY_CALLEE	1
#define RTP_RELAY_PEER(_t)	((_t) == RTP_RELAY_CALLER ? RTP_RELAY_CALLEE : RTP_RELAY_CALLER)

struct list_node {
	struct list_node *next, *prev;
};

struct rtp_relay_leg {
	struct kref ref;		/* one for ctx->legs, one per session */
	int index;
	struct rtp_relay_leg *peer;
	struct list_node list;		/* on ctx->legs */
};

struct rtp_relay_sess {
	int index;
	struct rtp_relay_leg *legs[2];
	struct list_node list;		/* on ctx->sessions */
};

struct rtp_relay_ctx;

/* unlinks a node from its list */
extern void list_del(struct list_node *n);
/* links a node at the head of a list */
extern void list_add_sess(struct rtp_relay_ctx *ctx, struct rtp_relay_sess *sess);
/* returns a borrowed pointer to the context's leg for tag/index, or NULL */
extern struct rtp_relay_leg *rtp_relay_get_leg(struct rtp_relay_ctx *ctx,
		const char *tag, int index);
/* allocates a zeroed session */
extern struct rtp_relay_sess *rtp_relay_sess_empty(void);

static void rtp_relay_ctx_free_leg(struct kref *kref)
{
	struct rtp_relay_leg *leg = container_of(kref, struct rtp_relay_leg, ref);

	list_del(&leg->list);
	free(leg);
}

static void rtp_relay_ctx_release_leg(struct rtp_relay_leg *leg)
{
	if (!leg)
		return;
	/* still linked in a different session? */
	kref_put(&leg->ref, rtp_relay_ctx_free_leg);
}

void rtp_relay_ctx_free_sess(struct rtp_relay_sess *s)
{
	rtp_relay_ctx_release_leg(s->legs[RTP_RELAY_CALLER]);
	rtp_relay_ctx_release_leg(s->legs[RTP_RELAY_CALLEE]);
	list_del(&s->list);
	free(s);
}

static inline void rtp_relay_push_sess_leg(struct rtp_relay_sess *sess,
		struct rtp_relay_leg *leg, int type)
{
	if (!leg)
		return;
	if (sess->legs[type] == leg)
		return;
	if (sess->legs[type])
		rtp_relay_ctx_release_leg(sess->legs[type]);
	sess->legs[type] = leg;
	leg->peer = sess->legs[RTP_RELAY_PEER(type)];
	if (leg->peer)
		sess->legs[RTP_RELAY_PEER(type)]->peer = leg;
	kref_get(&leg->ref);
}

static inline void rtp_relay_fill_sess_leg(struct rtp_relay_ctx *ctx,
		struct rtp_relay_sess *sess, int type, const char *tag, int index)
{
	struct rtp_relay_leg *leg = rtp_relay_get_leg(ctx, tag, index);

	rtp_relay_push_sess_leg(sess, leg, type);
}

struct rtp_relay_sess *rtp_relay_new_sess(struct rtp_relay_ctx *ctx,
		const char *tag, int index)
{
	struct rtp_relay_sess *sess = rtp_relay_sess_empty();

	if (!sess)
		return NULL;
	sess->index = index;
	rtp_relay_fill_sess_leg(ctx, sess, RTP_RELAY_CALLER, tag, index);
	rtp_relay_fill_sess_leg(ctx, sess, RTP_RELAY_CALLEE, NULL, index);
	list_add_sess(ctx, sess);
	return sess;
}
