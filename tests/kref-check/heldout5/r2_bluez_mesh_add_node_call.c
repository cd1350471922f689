/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: bluez/bluez commit
 * c80f88bdff59a2e07f9260121495dc4da7f2357c "mesh: Fix leaked message
 * reference", mesh/manager.c, add_node_call() and add_start().  The AddNode
 * D-Bus handler keeps the method call in add_pending->msg with
 * l_dbus_message_ref() before checking that the node may provision; the
 * error path frees add_pending without dropping that reference, and the
 * start callback, once it has sent the reply, clears the field without
 * dropping it either.  The fix takes the reference only after the check and
 * unrefs it in add_start().  ELL's message refcount written with a kref.
 */
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <stdbool.h>
#include <kref.h>

struct l_dbus;
struct mesh_node;
struct mesh_agent;

struct l_dbus_message { struct kref ref_count; };

struct add_data {
	struct l_dbus_message *msg;
	struct mesh_agent *agent;
	struct mesh_node *node;
	uint8_t uuid[16];
};

static struct add_data *add_pending;

#define l_new(type, count) ((type *)calloc((count), sizeof(type)))
#define l_free(ptr) free(ptr)

#define MESH_ERROR_NONE 0
#define MESH_ERROR_NOT_AUTHORIZED 7

/* Each returns a new reply message (one reference). */
extern struct l_dbus_message *l_dbus_message_new_method_return(struct l_dbus_message *msg);
extern struct l_dbus_message *dbus_error(struct l_dbus_message *msg, int err, const char *desc);
/* Sends reply and drops the caller's reference on it. */
extern void l_dbus_send(struct l_dbus *dbus, struct l_dbus_message *reply);
extern struct l_dbus *dbus_get_bus(void);
extern bool node_is_provisioner(struct mesh_node *node);
extern struct mesh_agent *node_get_agent(struct mesh_node *node);
/* Starts the initiator; start_cb(user_data, err) is called from the main loop. */
extern void initiator_start(const uint8_t *uuid, struct mesh_agent *agent,
			    void (*start_cb)(void *user_data, int err), void *user_data);

static void l_dbus_message_free(struct kref *ref)
{
	free(container_of(ref, struct l_dbus_message, ref_count));
}

static struct l_dbus_message *l_dbus_message_ref(struct l_dbus_message *msg)
{
	kref_get(&msg->ref_count);
	return msg;
}

void l_dbus_message_unref(struct l_dbus_message *msg)
{
	kref_put(&msg->ref_count, l_dbus_message_free);
}

static void add_start(void *user_data, int err)
{
	struct l_dbus_message *reply;

	if (err == MESH_ERROR_NONE)
		reply = l_dbus_message_new_method_return(add_pending->msg);
	else
		reply = dbus_error(add_pending->msg, err, "Failed to start provisioning initiator");

	l_dbus_send(dbus_get_bus(), reply);

	add_pending->msg = NULL; /* expect: rule 2 */
}

struct l_dbus_message *add_node_call(struct l_dbus *dbus, struct l_dbus_message *msg,
				     struct mesh_node *node, const uint8_t *uuid)
{
	struct l_dbus_message *reply;

	add_pending = l_new(struct add_data, 1);
	add_pending->msg = l_dbus_message_ref(msg);
	memcpy(add_pending->uuid, uuid, 16);
	add_pending->node = node;
	add_pending->agent = node_get_agent(node);

	if (!node_is_provisioner(node) || (add_pending->agent == NULL)) {
		reply = dbus_error(msg, MESH_ERROR_NOT_AUTHORIZED, "Missing Interfaces");
		goto fail;
	}

	initiator_start(uuid, add_pending->agent, add_start, add_pending);

	return NULL;
fail:
	l_free(add_pending); /* expect: rule 2 */
	add_pending = NULL;
	return reply;
}
