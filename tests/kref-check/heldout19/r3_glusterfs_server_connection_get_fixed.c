/* SPDX-License-Identifier: MIT */
/*
 * Project: gluster/glusterfs
 * Path: xlators/protocol/server/src/server-helpers.c
 * Fix: e6d887ec4ed6302f2a7dd2811bfc82f8cb46892d ("protocol/server: Remove connection from conf->conns w.o. race")
 * Bug: server_connection_get() finds a client connection in conf->conns
 * under conf->mutex but takes its reference only after dropping that
 * mutex, and server_conn_unref() unlinks the connection from conf->conns
 * under conn->lock instead of conf->mutex, so a lookup can reference a
 * connection whose last reference is being dropped.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>
#include <linux/list.h>

typedef struct _server_conf {
	pthread_mutex_t mutex;
	struct list_head conns;
} server_conf_t;

typedef struct _xlator {
	server_conf_t *private;
} xlator_t;

typedef struct _server_connection {
	struct list_head list;
	char *id;
	struct kref ref;
	int bind_ref;		/* under conf->mutex */
	pthread_mutex_t lock;
	xlator_t *this;
} server_connection_t;

/* frees the connection's fd table and lock table */
extern void server_connection_tables_free(server_connection_t *conn);

static void server_conn_release(struct kref *kref)
{
	server_connection_t *conn = container_of(kref, server_connection_t, ref);

	pthread_mutex_unlock(&conn->lock);

	server_connection_tables_free(conn);
	pthread_mutex_destroy(&conn->lock);
	free(conn->id);
	free(conn);
}

server_connection_t *server_conn_unref(server_connection_t *conn)
{
	kref_put_mutex(&conn->ref, server_conn_release, &conn->lock);
	return NULL;
}

server_connection_t *server_conn_ref(server_connection_t *conn)
{
	kref_get(&conn->ref);
	return conn;
}

server_connection_t *server_connection_get(xlator_t *this, const char *id)
{
	server_connection_t *conn = NULL;
	server_connection_t *trav = NULL;
	server_conf_t *conf = NULL;

	conf = this->private;

	pthread_mutex_lock(&conf->mutex);
	{
		list_for_each_entry(trav, &conf->conns, list) {
			if (!strncmp(trav->id, id, strlen(id))) {
				conn = trav;
				conn->bind_ref++;
				goto unlock;
			}
		}

		conn = calloc(1, sizeof(*conn));
		if (!conn)
			goto unlock;

		conn->id = strdup(id);
		conn->this = this;
		conn->bind_ref = 1;
		/* when bind_ref becomes 0 it calls server_conn_unref() */
		kref_init(&conn->ref);
		pthread_mutex_init(&conn->lock, NULL);
		list_add(&conn->list, &conf->conns);
	}
unlock:
	pthread_mutex_unlock(&conf->mutex);
	return conn;
}

server_connection_t *server_connection_put(xlator_t *this,
					   server_connection_t *conn,
					   bool *detached)
{
	server_conf_t *conf = this->private;
	bool unref = false;

	if (detached)
		*detached = false;

	pthread_mutex_lock(&conf->mutex);
	{
		conn->bind_ref--;
		if (!conn->bind_ref) {
			list_del(&conn->list);
			unref = true;
		}
	}
	pthread_mutex_unlock(&conf->mutex);

	if (unref) {
		if (detached)
			*detached = true;
		server_conn_unref(conn);
		conn = NULL;
	}
	return conn;
}
