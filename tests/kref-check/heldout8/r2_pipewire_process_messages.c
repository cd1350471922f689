/* SPDX-License-Identifier: MIT */
/*
 * Source: PipeWire, commit 5fa87d67a1e29f6a71ef0fb0930088a350e5b960
 * ("protocol-native: unref resource after logging the error"),
 * src/modules/module-protocol-native.c, process_messages().
 * The resource is held across the method's demarshal function (which may
 * destroy it); the error report after a failed call reads it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <kref.h>

struct pw_protocol_native_message {
	uint32_t id;
	uint32_t opcode;
	int seq;
};

struct pw_resource;

struct pw_protocol_native_demarshal {
	int (*func)(void *object, const struct pw_protocol_native_message *msg);
	uint32_t permissions;
};

struct pw_protocol_marshal {
	uint32_t n_client_methods;
	const struct pw_protocol_native_demarshal *server_demarshal;
};

struct pw_resource {
	struct kref ref;
	uint32_t id;
	uint32_t permissions;
	int destroyed;
	const struct pw_protocol_marshal *marshal;
};

struct pw_impl_client {
	struct pw_resource *core_resource;
	int recv_seq;
};

struct pw_protocol_native_connection;

struct client_data {
	struct pw_impl_client *client;
	struct pw_protocol_native_connection *connection;
	int busy;
};

#define PW_PERM_X	0x1

/* Next message from the connection's buffer: 1, 0 when empty, or -errno. */
extern int pw_protocol_native_connection_get_next(struct pw_protocol_native_connection *conn,
		const struct pw_protocol_native_message **msg);
extern void pw_protocol_native_connection_enter(struct pw_protocol_native_connection *conn);
extern void pw_protocol_native_connection_leave(struct pw_protocol_native_connection *conn);
/* Looks the id up in the client's object map; the map keeps its reference,
 * none is taken for the caller. */
extern struct pw_resource *pw_impl_client_find_resource(struct pw_impl_client *client,
		uint32_t id);
/* Sends an error event to the client about the resource. */
extern void pw_resource_errorf_id(struct pw_resource *resource, uint32_t id,
		int res, const char *fmt, ...);
extern void pw_resource_errorf(struct pw_resource *resource, int res,
		const char *fmt, ...);

static void pw_resource_free(struct kref *ref)
{
	struct pw_resource *resource = container_of(ref, struct pw_resource, ref);

	free(resource);
}

void pw_resource_unref(struct pw_resource *resource)
{
	kref_put(&resource->ref, pw_resource_free);
}

static const struct pw_protocol_marshal *pw_resource_get_marshal(struct pw_resource *resource)
{
	return resource->marshal;
}

static uint32_t pw_resource_get_permissions(struct pw_resource *resource)
{
	return resource->permissions;
}

int process_messages(struct client_data *data)
{
	struct pw_protocol_native_connection *conn = data->connection;
	struct pw_impl_client *client = data->client;
	const struct pw_protocol_native_message *msg;
	struct pw_resource *resource;
	int res;

	while (!data->busy) {
		const struct pw_protocol_native_demarshal *demarshal;
		const struct pw_protocol_marshal *marshal;
		uint32_t permissions, required;

		res = pw_protocol_native_connection_get_next(conn, &msg);
		if (res < 0) {
			if (res == -EAGAIN)
				break;
			goto error;
		}
		if (res == 0)
			break;

		if (client->core_resource == NULL) {
			res = -EPROTO;
			goto error;
		}

		client->recv_seq = msg->seq;

		resource = pw_impl_client_find_resource(client, msg->id);
		if (resource == NULL) {
			pw_resource_errorf(client->core_resource,
					-ENOENT, "unknown resource %u op:%u", msg->id, msg->opcode);
			continue;
		}

		marshal = pw_resource_get_marshal(resource);
		if (marshal == NULL || msg->opcode >= marshal->n_client_methods) {
			pw_resource_errorf_id(resource, msg->id,
					-ENOSYS, "invalid method id:%u op:%u",
					msg->id, msg->opcode);
			continue;
		}

		demarshal = marshal->server_demarshal;
		if (!demarshal[msg->opcode].func) {
			pw_resource_errorf_id(resource, msg->id,
					-ENOTSUP, "function not supported id:%u op:%u",
					msg->id, msg->opcode);
			continue;
		}

		permissions = pw_resource_get_permissions(resource);
		required = demarshal[msg->opcode].permissions | PW_PERM_X;

		if ((required & permissions) != required) {
			pw_resource_errorf_id(resource, msg->id,
					-EACCES, "no permission to call method %u on %u",
					msg->opcode, msg->id);
			continue;
		}

		kref_get(&resource->ref);
		pw_protocol_native_connection_enter(conn);
		res = demarshal[msg->opcode].func(resource, msg);
		pw_protocol_native_connection_leave(conn);
		pw_resource_unref(resource);

		if (res < 0) {
			pw_resource_errorf_id(resource, msg->id, /* expect: rule 2 */
					res, "invalid message id:%u op:%u (%d)",
					msg->id, msg->opcode, res);
		}
	}
	res = 0;
done:
	return res;

error:
	pw_resource_errorf(client->core_resource, res, "client error %d", res);
	goto done;
}
