/* SPDX-License-Identifier: MIT */
/*
 * Project: eclipse/mosquitto
 * Path: src/persist.c
 * Fix: cfe1156eb724e6b83ea9bc779c2ecf11a046c0ca
 * Bug: restoring a client's queued message from the persistence file links
 * the shared message store into the client message without counting it, so
 * the store can be freed while the client queue still points at it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <kref.h>

typedef uint64_t dbid_t;

/* One published message, shared by every client queue it is on. */
struct mosquitto_msg_store {
	struct kref ref;		/* ref_count */
	dbid_t db_id;
	char *topic;
	void *payload;
};

/* Entry of db->msg_store_load while the file is read; holds one reference. */
struct mosquitto_msg_store_load {
	dbid_t db_id;
	struct mosquitto_msg_store *store;
};

/* A message queued for one client; owns a reference on its store. */
struct mosquitto_client_msg {
	struct mosquitto_client_msg *next;
	struct mosquitto_msg_store *store;
	uint16_t mid;
	uint8_t qos;
	uint8_t retain;
	uint8_t direction;
	uint8_t state;
	uint8_t dup;
};

struct mosquitto {
	struct mosquitto_client_msg *msgs;
	struct mosquitto_client_msg *last_msg;
};

struct mosquitto_db;

/* HASH_FIND in db->msg_store_load; returns a borrowed pointer or NULL */
extern struct mosquitto_msg_store_load *msg_store_load_find(struct mosquitto_db *db, dbid_t store_id);
/* returns the (borrowed) context of client_id, creating it; never NULL here */
extern struct mosquitto *_db_find_or_add_context(struct mosquitto_db *db, const char *client_id, uint16_t last_mid);

static void mosquitto__db_msg_store_release(struct kref *ref)
{
	struct mosquitto_msg_store *store = container_of(ref, struct mosquitto_msg_store, ref);

	free(store->topic);
	free(store->payload);
	free(store);
}

void mosquitto__db_msg_store_deref(struct mosquitto_msg_store **store)
{
	kref_put(&(*store)->ref, mosquitto__db_msg_store_release);
	*store = NULL;
}

/* Drop a delivered or expired message from a client's queue. */
void _message_remove(struct mosquitto *context, struct mosquitto_client_msg *msg,
		     struct mosquitto_client_msg *last)
{
	if (msg->store)
		mosquitto__db_msg_store_deref(&msg->store);
	if (last) {
		last->next = msg->next;
		if (!last->next)
			context->last_msg = last;
	} else {
		context->msgs = msg->next;
		if (!context->msgs)
			context->last_msg = NULL;
	}
	free(msg);
}

int _db_client_msg_restore(struct mosquitto_db *db, const char *client_id, uint16_t mid,
			   uint8_t qos, uint8_t retain, uint8_t direction, uint8_t state,
			   uint8_t dup, dbid_t store_id)
{
	struct mosquitto_client_msg *cmsg;
	struct mosquitto_msg_store_load *load;
	struct mosquitto *context;

	cmsg = calloc(1, sizeof(*cmsg));
	if (!cmsg)
		return 1;
	cmsg->mid = mid;
	cmsg->qos = qos;
	cmsg->retain = retain;
	cmsg->direction = direction;
	cmsg->state = state;
	cmsg->dup = dup;

	load = msg_store_load_find(db, store_id);
	if (!load) {
		/* message store corrupt */
		free(cmsg);
		return 1;
	}
	cmsg->store = load->store;
	kref_get(&cmsg->store->ref);

	context = _db_find_or_add_context(db, client_id, 0);
	if (context->msgs)
		context->last_msg->next = cmsg;
	else
		context->msgs = cmsg;
	context->last_msg = cmsg;

	return 0;
}
