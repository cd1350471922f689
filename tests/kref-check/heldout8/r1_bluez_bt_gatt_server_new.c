/* SPDX-License-Identifier: MIT */
/*
 * Source: BlueZ (bluez/bluez), fix commit
 * 042cbc7c7003535b43c8f9f88bca3587ab1f974f ("shared/gatt-server: Hold a
 * reference to gatt-db"), src/shared/gatt-server.c.  bt_gatt_server_new()
 * kept the caller's gatt_db in the reference-counted server for its whole
 * life without a reference of its own; the server's ATT handlers read the
 * db after its owner may have dropped it.  The fix takes a reference in
 * bt_gatt_server_new() and drops it in bt_gatt_server_free().
 * Reconstructed on struct kref (an atomic ref_count in the original).
 */
#include <kref.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#define BT_ATT_DEFAULT_LE_MTU		23
#define DEFAULT_MAX_PREP_QUEUE_LEN	30
#define BT_ATT_OP_READ_BY_GRP_TYPE_REQ	0x10
#define BT_ATT_OP_READ_REQ		0x0a

struct queue;
struct bt_att;

typedef void (*bt_att_notify_func_t)(uint8_t opcode, const void *pdu,
				     uint16_t length, void *user_data);

struct gatt_db {
	struct kref ref;
	uint16_t next_handle;
	struct queue *services;
};

struct bt_gatt_server {
	struct kref ref;
	struct gatt_db *db;
	struct bt_att *att;
	uint16_t mtu;

	unsigned int read_by_grp_type_id;
	unsigned int read_id;

	struct queue *prep_queue;
	unsigned int max_prep_queue_len;
};

extern struct queue *queue_new(void);
extern void queue_destroy(struct queue *queue, void (*destroy)(void *data));
extern void gatt_db_service_destroy(void *data);
extern void prep_write_data_destroy(void *data);

/* bt_att is counted in its own file: bt_att_ref() returns att. */
extern struct bt_att *bt_att_ref(struct bt_att *att);
extern void bt_att_unref(struct bt_att *att);
/* Registers callback for opcode with user_data; returns an id, 0 on error. */
extern unsigned int bt_att_register(struct bt_att *att, uint8_t opcode,
				    bt_att_notify_func_t callback,
				    void *user_data, void (*destroy)(void *));
extern bool bt_att_unregister(struct bt_att *att, unsigned int id);
extern void bt_att_send_error_rsp(struct bt_att *att, uint8_t opcode,
				  uint16_t handle, int error);

extern void gatt_db_read_by_group_type(struct gatt_db *db, uint16_t start,
				       uint16_t end, struct queue *q);
extern bool gatt_db_read(struct gatt_db *db, uint16_t handle, uint16_t offset);

/* gatt-db.c */

static void gatt_db_destroy(struct kref *ref)
{
	struct gatt_db *db = container_of(ref, struct gatt_db, ref);

	queue_destroy(db->services, gatt_db_service_destroy);
	free(db);
}

struct gatt_db *gatt_db_new(void)
{
	struct gatt_db *db = calloc(1, sizeof(*db));

	if (!db)
		return NULL;

	db->services = queue_new();
	if (!db->services) {
		free(db);
		return NULL;
	}
	db->next_handle = 0x0001;
	kref_init(&db->ref);
	return db;
}

struct gatt_db *gatt_db_ref(struct gatt_db *db)
{
	if (!db)
		return NULL;

	kref_get(&db->ref);
	return db;
}

void gatt_db_unref(struct gatt_db *db)
{
	if (!db)
		return;

	kref_put(&db->ref, gatt_db_destroy);
}

/* gatt-server.c */

static void bt_gatt_server_free(struct bt_gatt_server *server)
{
	bt_att_unregister(server->att, server->read_by_grp_type_id);
	bt_att_unregister(server->att, server->read_id);

	queue_destroy(server->prep_queue, prep_write_data_destroy);

	bt_att_unref(server->att);
	free(server);
}

static void bt_gatt_server_release(struct kref *ref)
{
	bt_gatt_server_free(container_of(ref, struct bt_gatt_server, ref));
}

static void read_by_grp_type_cb(uint8_t opcode, const void *pdu,
				uint16_t length, void *user_data)
{
	struct bt_gatt_server *server = user_data;
	const uint8_t *p = pdu;
	uint16_t start, end;
	struct queue *q;

	if (length != 6 && length != 20) {
		bt_att_send_error_rsp(server->att, opcode, 0, 0x04);
		return;
	}

	q = queue_new();
	if (!q)
		return;

	start = p[0] | (p[1] << 8);
	end = p[2] | (p[3] << 8);

	gatt_db_read_by_group_type(server->db, start, end, q);

	queue_destroy(q, NULL);
}

static void read_cb(uint8_t opcode, const void *pdu, uint16_t length,
		    void *user_data)
{
	struct bt_gatt_server *server = user_data;
	const uint8_t *p = pdu;

	if (length != 2) {
		bt_att_send_error_rsp(server->att, opcode, 0, 0x04);
		return;
	}

	if (!gatt_db_read(server->db, p[0] | (p[1] << 8), 0))
		bt_att_send_error_rsp(server->att, opcode, 0, 0x01);
}

static bool gatt_server_register_att_handlers(struct bt_gatt_server *server)
{
	server->read_by_grp_type_id = bt_att_register(server->att,
						BT_ATT_OP_READ_BY_GRP_TYPE_REQ,
						read_by_grp_type_cb,
						server, NULL);
	if (!server->read_by_grp_type_id)
		return false;

	server->read_id = bt_att_register(server->att, BT_ATT_OP_READ_REQ,
					  read_cb, server, NULL);
	if (!server->read_id)
		return false;

	return true;
}

struct bt_gatt_server *bt_gatt_server_new(struct gatt_db *db,
					  struct bt_att *att, uint16_t mtu)
{
	struct bt_gatt_server *server;

	if (!att)
		return NULL;

	server = calloc(1, sizeof(*server));
	if (!server)
		return NULL;

	kref_init(&server->ref);
	server->db = db; /* expect: rule 1 */
	server->att = bt_att_ref(att);
	server->mtu = mtu > BT_ATT_DEFAULT_LE_MTU ? mtu : BT_ATT_DEFAULT_LE_MTU;
	server->max_prep_queue_len = DEFAULT_MAX_PREP_QUEUE_LEN;

	server->prep_queue = queue_new();
	if (!server->prep_queue) {
		bt_gatt_server_free(server);
		return NULL;
	}

	if (!gatt_server_register_att_handlers(server)) {
		bt_gatt_server_free(server);
		return NULL;
	}

	return server;
}

struct bt_gatt_server *bt_gatt_server_ref(struct bt_gatt_server *server)
{
	if (!server)
		return NULL;

	kref_get(&server->ref);
	return server;
}

void bt_gatt_server_unref(struct bt_gatt_server *server)
{
	if (!server)
		return;

	kref_put(&server->ref, bt_gatt_server_release);
}
