/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: LINBIT/drbd commit
 * 0a396772fd69bdd0546b83117035551fd5a1eb03 "drbd: hold a connection
 * reference for pending ping work", drbd/drbd_receiver.c (got_Ping(),
 * drbd_control_event(), drbd_send_ping_wf()), drbd/drbd_main.c
 * (drbd_send_ping_ack_wf()).  send_ping_work and send_ping_ack_work are
 * queued on global workqueues without a reference on the connection; a
 * ping queued while the connection goes down can still be pending or
 * running at the final kref_put (del-peer, down, del-resource), and the
 * worker uses the freed connection.  The fix adds drbd_queue_ping() and
 * drbd_queue_ping_ack(), which take a reference per queued instance (put
 * back if the work was already queued), and a put at the end of both
 * work functions.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct workqueue_struct;
extern struct workqueue_struct *ping_ack_sender;
bool queue_work(struct workqueue_struct *wq, struct work_struct *work);

enum drbd_conn_event { TIMEOUT, CLOSED_BY_PEER };
enum drbd_conns { C_STANDALONE, C_NETWORK_FAILURE, C_CONNECTED };
#define CS_HARD 2
#define PING_TIMEOUT 1

struct drbd_connection {
	struct kref kref;
	bool ping_timeout_active;	/* PING_TIMEOUT_ACTIVE in connection->flags */
	struct work_struct send_ping_work;
	struct work_struct send_ping_ack_work;
};
struct packet_info { unsigned int cmd; unsigned int size; };

/* Send P_PING / P_PING_ACK on the control stream; 0 or -errno. */
int drbd_send_ping(struct drbd_connection *connection);
int drbd_send_ping_ack(struct drbd_connection *connection);
void change_cstate(struct drbd_connection *connection, enum drbd_conns cs, int flags);
void set_rcvtimeo(struct drbd_connection *connection, int which);
/* Frees the connection (the last put may come from atomic context). */
void drbd_free_connection(struct drbd_connection *connection);

void drbd_destroy_connection(struct kref *kref)
{
	drbd_free_connection(container_of(kref, struct drbd_connection, kref));
}

/*
 * send_ping_work and send_ping_ack_work run on global workqueues and do not
 * otherwise keep the connection alive: one reference per queued instance.
 */
void drbd_queue_ping(struct drbd_connection *connection)
{
	bool queued;

	kref_get(&connection->kref);
	queued = schedule_work(&connection->send_ping_work);
	if (!queued)
		kref_put(&connection->kref, drbd_destroy_connection);
}

void drbd_queue_ping_ack(struct drbd_connection *connection)
{
	bool queued;

	kref_get(&connection->kref);
	queued = queue_work(ping_ack_sender, &connection->send_ping_ack_work);
	if (!queued)
		kref_put(&connection->kref, drbd_destroy_connection);
}

void drbd_send_ping_ack_wf(struct work_struct *ws)
{
	struct drbd_connection *connection =
		container_of(ws, struct drbd_connection, send_ping_ack_work);
	int err;

	err = drbd_send_ping_ack(connection);
	if (err)
		change_cstate(connection, C_NETWORK_FAILURE, CS_HARD);

	kref_put(&connection->kref, drbd_destroy_connection);
}

void drbd_send_ping_wf(struct work_struct *ws)
{
	struct drbd_connection *connection =
		container_of(ws, struct drbd_connection, send_ping_work);
	int err;

	set_rcvtimeo(connection, PING_TIMEOUT);
	connection->ping_timeout_active = true;
	err = drbd_send_ping(connection);
	if (err)
		change_cstate(connection, C_NETWORK_FAILURE, CS_HARD);

	kref_put(&connection->kref, drbd_destroy_connection);
}

/* Receiver thread (asender table entry): the peer pinged us. */
int got_Ping(struct drbd_connection *connection, struct packet_info *pi)
{
	(void)pi;
	drbd_queue_ping_ack(connection);
	return 0;
}

/* Transport callback: nothing received for a while. */
void drbd_control_event(struct drbd_connection *connection, enum drbd_conn_event event)
{
	if (event == TIMEOUT) {
		if (!connection->ping_timeout_active) {
			drbd_queue_ping(connection);
			return;
		}
		change_cstate(connection, C_NETWORK_FAILURE, CS_HARD);
	}
}
