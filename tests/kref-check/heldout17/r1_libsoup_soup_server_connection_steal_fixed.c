/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/libsoup
 * Path:    libsoup/server/soup-server-connection.c
 * Fix:     8a61446a83d65d8dd4ed2d4104a5618ad9187cf7
 * Bug:     soup_server_connection_steal() attaches the connection's socket to
 *          the stolen io stream (which drops it when the stream goes away)
 *          without taking a reference, though the connection still keeps and
 *          later drops its own reference to the same socket.
 */
#include <kref.h>
#include <stddef.h>
#include <stdlib.h>

typedef struct _GSocket {
	struct kref ref;
	int fd;
} GSocket;

typedef struct _GIOStream {
	struct kref ref;
	GSocket *socket_data;	/* "GSocket" data: owned, dropped at release */
} GIOStream;

typedef struct _SoupServerMessageIO SoupServerMessageIO;

typedef struct _SoupServerConnection {
	struct kref ref;
	GSocket *socket;	/* owned */
	GIOStream *iostream;	/* owned */
	SoupServerMessageIO *io_data;
} SoupServerConnection;

/* Returns the io stream of the message io with a new reference; the
 * message io no longer uses it. */
extern GIOStream *soup_server_message_io_steal(SoupServerMessageIO *io);
/* Frees the message io. */
extern void soup_server_message_io_destroy(SoupServerMessageIO *io);
/* Cache the socket's addresses in the connection. */
extern void soup_server_connection_get_local_address(SoupServerConnection *conn);
extern void soup_server_connection_get_remote_address(SoupServerConnection *conn);
/* Closes the file descriptor. */
extern void g_socket_close_fd(int fd);

static void g_socket_release(struct kref *ref)
{
	GSocket *socket = container_of(ref, GSocket, ref);

	g_socket_close_fd(socket->fd);
	free(socket);
}

static void g_socket_unref(GSocket *socket)
{
	kref_put(&socket->ref, g_socket_release);
}

static void g_io_stream_release(struct kref *ref)
{
	GIOStream *stream = container_of(ref, GIOStream, ref);

	if (stream->socket_data)
		g_socket_unref(stream->socket_data);
	free(stream);
}

static void g_io_stream_unref(GIOStream *stream)
{
	kref_put(&stream->ref, g_io_stream_release);
}

GIOStream *soup_server_connection_steal(SoupServerConnection *conn)
{
	GIOStream *stream;

	stream = conn->io_data ? soup_server_message_io_steal(conn->io_data) : NULL;
	if (stream && conn->socket) {
		kref_get(&conn->socket->ref);
		stream->socket_data = conn->socket;
	}

	soup_server_connection_get_local_address(conn);
	soup_server_connection_get_remote_address(conn);

	if (conn->io_data) {
		soup_server_message_io_destroy(conn->io_data);
		conn->io_data = NULL;
	}
	if (conn->iostream) {
		g_io_stream_unref(conn->iostream);
		conn->iostream = NULL;
	}

	return stream;
}

static void soup_server_connection_release(struct kref *ref)
{
	SoupServerConnection *conn = container_of(ref, SoupServerConnection, ref);

	if (conn->io_data)
		soup_server_message_io_destroy(conn->io_data);
	if (conn->iostream)
		g_io_stream_unref(conn->iostream);
	if (conn->socket)
		g_socket_unref(conn->socket);
	free(conn);
}

void soup_server_connection_unref(SoupServerConnection *conn)
{
	kref_put(&conn->ref, soup_server_connection_release);
}
