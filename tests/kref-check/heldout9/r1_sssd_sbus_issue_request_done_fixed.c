/* SPDX-License-Identifier: MIT */
/*
 * SSSD (SSSD/sssd), src/sbus/router/sbus_router_handler.c, fix commit
 * 8db2485cd28e0af74bd008251ba49b6d6e3a73a6, as fixed: sbus_issue_request_done()
 * takes a reference for sbus_reply(), which drops one after queueing the
 * reply, so the reference bound to the request state is its own.
 * DBusMessage is counted with a kref; the talloc binding is a small list.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <kref.h>

typedef int errno_t;
typedef uint32_t dbus_uint32_t;
typedef struct DBusConnection DBusConnection;
typedef struct DBusMessage DBusMessage;
struct tevent_req;

#define EOK 0
#define ERR_SBUS_KILL_CONNECTION 0x555D0042

enum sbus_request_type { SBUS_REQUEST_METHOD, SBUS_REQUEST_SIGNAL };

struct sbus_talloc_msg;

typedef struct sbus_talloc_ctx {
	struct sbus_talloc_msg *bound;
} TALLOC_CTX;

struct sbus_talloc_msg {
	DBusMessage *msg;
	bool in_talloc_destructor;
	TALLOC_CTX *parent;
	struct sbus_talloc_msg *next;
};

struct DBusMessage {
	struct kref refcount;
	struct sbus_talloc_msg *data;	/* global_data_slot */
};

struct sbus_connection {
	DBusConnection *connection;
	bool disconnecting;
};

struct sbus_issue_request_state {
	TALLOC_CTX ctx;	/* first: the state is its own talloc context */
	struct sbus_connection *conn;
	DBusMessage *message;
	enum sbus_request_type type;
};

struct sbus_incoming_request_state {
	DBusMessage *reply;
};

/* libdbus: queue @message on the connection's outgoing queue; the queue
 * takes its own dbus_message_ref() until the message has been written. */
extern int dbus_connection_send(DBusConnection *connection,
				DBusMessage *message, dbus_uint32_t *serial);
/* tevent: @req's state, its error if it failed, its callback data; free it. */
extern void *tevent_req_data(struct tevent_req *req);
extern bool tevent_req_is_error(struct tevent_req *req, errno_t *ret);
extern void *tevent_req_callback_data(struct tevent_req *req);
extern void talloc_free_req(struct tevent_req *req);
/* Map an errno to a D-Bus error name and message; tear a connection down. */
extern void sbus_errno_to_error(errno_t ret, const char **error_name,
				const char **error_msg);
extern void sbus_connection_free(struct sbus_connection *conn);
/* Build an error reply to @reply_to (none for a signal), send it with
 * sbus_reply(). */
extern void sbus_reply_error(struct sbus_connection *conn, DBusMessage *reply_to,
			     const char *error_name, const char *error_message);

static void sbus_msg_data_destructor(struct kref *kref)
{
	DBusMessage *msg = container_of(kref, DBusMessage, refcount);
	struct sbus_talloc_msg *talloc_msg = msg->data;

	if (talloc_msg != NULL && !talloc_msg->in_talloc_destructor)
		talloc_msg->msg = NULL;
	free(msg);
}

DBusMessage *dbus_message_ref(DBusMessage *msg)
{
	kref_get(&msg->refcount);
	return msg;
}

static void dbus_message_unref(DBusMessage *msg)
{
	kref_put(&msg->refcount, sbus_msg_data_destructor);
}

static void talloc_free(TALLOC_CTX *ctx)
{
	struct sbus_talloc_msg *talloc_msg;

	while ((talloc_msg = ctx->bound) != NULL) {
		ctx->bound = talloc_msg->next;
		talloc_msg->in_talloc_destructor = true;
		if (talloc_msg->msg != NULL) {
			talloc_msg->msg->data = NULL;
			dbus_message_unref(talloc_msg->msg);
		}
		free(talloc_msg);
	}
	free(ctx);
}

static errno_t sbus_message_bound_steal(TALLOC_CTX *mem_ctx, DBusMessage *msg)
{
	struct sbus_talloc_msg *talloc_msg = msg->data;
	struct sbus_talloc_msg **pp;

	if (talloc_msg == NULL)
		return ERANGE;
	for (pp = &talloc_msg->parent->bound; *pp != talloc_msg; pp = &(*pp)->next)
		;
	*pp = talloc_msg->next;
	talloc_msg->parent = mem_ctx;
	talloc_msg->next = mem_ctx->bound;
	mem_ctx->bound = talloc_msg;
	return EOK;
}

static errno_t sbus_incoming_request_recv(TALLOC_CTX *mem_ctx,
					  struct tevent_req *req,
					  DBusMessage **_reply)
{
	struct sbus_incoming_request_state *state = tevent_req_data(req);
	errno_t ret;

	if (tevent_req_is_error(req, &ret))
		return ret;
	if (state->reply == NULL) {
		*_reply = NULL;
		return EOK;
	}
	ret = sbus_message_bound_steal(mem_ctx, state->reply);
	if (ret != EOK)
		return ret;
	*_reply = state->reply;
	return EOK;
}

void sbus_reply(struct sbus_connection *conn, DBusMessage *reply)
{
	if (conn->disconnecting) {
		dbus_message_unref(reply);
		return;
	}
	dbus_connection_send(conn->connection, reply, NULL);
	dbus_message_unref(reply);
}

void sbus_issue_request_done(struct tevent_req *subreq)
{
	struct sbus_issue_request_state *state;
	const char *error_name;
	const char *error_msg;
	DBusMessage *reply;
	errno_t ret;

	state = tevent_req_callback_data(subreq);

	ret = sbus_incoming_request_recv(&state->ctx, subreq, &reply);
	talloc_free_req(subreq);

	if (state->type == SBUS_REQUEST_SIGNAL)
		goto done;

	if (ret == EOK) {
		/* sbus_reply() consumes a reference; the one bound to state is
		 * dropped by talloc_free(state) below. */
		dbus_message_ref(reply);
		sbus_reply(state->conn, reply);
	} else {
		sbus_errno_to_error(ret, &error_name, &error_msg);
		sbus_reply_error(state->conn, state->message, error_name, error_msg);
	}

done:
	if (ret == ERR_SBUS_KILL_CONNECTION)
		sbus_connection_free(state->conn);

	talloc_free(&state->ctx);
}
