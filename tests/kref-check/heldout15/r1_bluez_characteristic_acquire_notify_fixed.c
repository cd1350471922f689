/* SPDX-License-Identifier: MIT */
/*
 * Project: bluez/bluez
 * Path:    src/gatt-client.c
 * Fix:     a94f994201a69a36753abda65cc51937de9cd3e3
 * Bug: characteristic_acquire_notify() stores the notify client both in the
 * characteristic's notify_clients queue and in the long-lived notify_io,
 * but only the queue owns a reference, so notify_io_destroy() uses a client
 * that a disconnect has already freed.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

struct queue;
struct DBusMessage;

struct sock_io {
	void *data;
	void (*destroy)(void *data);
};

struct characteristic {
	struct queue *notify_clients;
	struct sock_io *notify_io;
};

struct notify_client {
	struct kref ref;
	struct characteristic *chrc;
	unsigned int notify_id;
};

/* removes data from the queue; true if it was there */
extern bool queue_remove(struct queue *queue, void *data);
/* appends data to the queue (the queue's entry owns a reference) */
extern bool queue_push_tail(struct queue *queue, void *data);
/* subscribes to notifications; 0 on failure */
extern unsigned int register_notify(struct notify_client *client);
/* allocates a zeroed sock_io (aborts on failure, like bluez's new0) */
extern struct sock_io *new0_sock_io(void);
/* builds a D-Bus error reply */
extern struct DBusMessage *btd_error_failed(struct DBusMessage *msg,
					    const char *str);

static void notify_client_free(struct kref *ref)
{
	struct notify_client *client =
		container_of(ref, struct notify_client, ref);

	free(client);
}

static struct notify_client *notify_client_ref(struct notify_client *client)
{
	kref_get(&client->ref);
	return client;
}

static void notify_client_unref(void *data)
{
	struct notify_client *client = data;

	kref_put(&client->ref, notify_client_free);
}

static struct notify_client *notify_client_create(struct characteristic *chrc)
{
	struct notify_client *client = calloc(1, sizeof(*client));

	if (!client)
		return NULL;
	kref_init(&client->ref);
	client->chrc = chrc;
	return client;
}

static void notify_io_destroy(void *data)
{
	struct notify_client *client = data;

	if (queue_remove(client->chrc->notify_clients, client))
		notify_client_unref(client);
	notify_client_unref(client);
}

struct DBusMessage *characteristic_acquire_notify(struct characteristic *chrc,
						  struct DBusMessage *msg)
{
	struct notify_client *client;

	if (chrc->notify_io)
		return btd_error_failed(msg, "Notify acquired");

	client = notify_client_create(chrc);
	if (!client)
		return btd_error_failed(msg, "Failed allocate notify session");

	client->notify_id = register_notify(client);
	if (!client->notify_id) {
		notify_client_unref(client);
		return btd_error_failed(msg, "Failed to subscribe");
	}

	queue_push_tail(chrc->notify_clients, client);

	chrc->notify_io = new0_sock_io();
	chrc->notify_io->data = notify_client_ref(client);
	chrc->notify_io->destroy = notify_io_destroy;

	return NULL;
}
