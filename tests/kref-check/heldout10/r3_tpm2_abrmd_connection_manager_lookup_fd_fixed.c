/* SPDX-License-Identifier: MIT */
/*
 * Project: tpm2-software/tpm2-abrmd
 * Path: src/connection-manager.c
 * Fix commit: 35edb319a20bc8e6ba49d9c29323b9c968361b2e
 *   ("ConnectionManager: Don't ref NULL object when looking up connections.")
 * Bug: connection_manager_lookup_fd() finds the Connection in the
 * manager's table under manager->mutex but takes the caller's reference
 * only after unlocking, so connection_manager_remove() on another thread
 * can unlink it and drop the table's reference, the last one, in between;
 * the fix takes the reference (when one was found) before unlocking.
 *
 * Written for libkref's held-out set: a reconstruction on struct kref, not
 * tpm2-abrmd's code (a GObject, counted with g_object_ref/unref there).
 * The two hash tables are one list here; connection_manager_lookup_id()
 * had the same bug and fix and is left out.
 */
#include <kref.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct Connection {
	struct kref ref;
	int fd;
	int64_t id;
	struct Connection *next;	/* in the manager's table */
} Connection;

typedef struct ConnectionManager {
	pthread_mutex_t mutex;
	Connection *connections;	/* each holds a reference */
	unsigned int count;
	unsigned int max_connections;
} ConnectionManager;

/* Closes the connection's client fd. */
extern void connection_close_fd(Connection *connection);
/* Reads the next command from the connection and queues it; 0 on EOF. */
extern int command_source_read_command(Connection *connection);

static void connection_finalize(struct kref *ref)
{
	Connection *connection = container_of(ref, Connection, ref);

	connection_close_fd(connection);
	free(connection);
}

void connection_unref(Connection *connection)
{
	kref_put(&connection->ref, connection_finalize);
}

int connection_manager_insert(ConnectionManager *manager, Connection *connection)
{
	pthread_mutex_lock(&manager->mutex);
	if (manager->count >= manager->max_connections) {
		pthread_mutex_unlock(&manager->mutex);
		return -1;
	}
	/* the table's reference, dropped by connection_manager_remove() */
	kref_get(&connection->ref);
	connection->next = manager->connections;
	manager->connections = connection;
	manager->count++;
	pthread_mutex_unlock(&manager->mutex);
	return 0;
}

/*
 * Returns a reference to the Connection with client fd @fd_in, which the
 * caller must drop.
 */
Connection *connection_manager_lookup_fd(ConnectionManager *manager, int fd_in)
{
	Connection *connection;

	pthread_mutex_lock(&manager->mutex);
	for (connection = manager->connections; connection != NULL;
	     connection = connection->next) {
		if (connection->fd == fd_in)
			break;
	}
	if (connection != NULL)
		kref_get(&connection->ref);
	pthread_mutex_unlock(&manager->mutex);

	return connection;
}

int connection_manager_remove(ConnectionManager *manager, Connection *connection)
{
	Connection **p;
	int ret = -1;

	pthread_mutex_lock(&manager->mutex);
	for (p = &manager->connections; *p != NULL; p = &(*p)->next) {
		if (*p == connection) {
			*p = connection->next;
			manager->count--;
			connection_unref(connection);
			ret = 0;
			break;
		}
	}
	pthread_mutex_unlock(&manager->mutex);
	return ret;
}

/* Command source thread: a client fd became readable. */
int command_source_connection_responder(ConnectionManager *manager, int fd)
{
	Connection *connection = connection_manager_lookup_fd(manager, fd);

	if (connection == NULL)
		return -1;
	if (command_source_read_command(connection) == 0)
		connection_manager_remove(manager, connection);
	connection_unref(connection);
	return 0;
}
