/* SPDX-License-Identifier: MIT */
/*
 * Project: AravisProject/aravis
 * Path:    src/arvgvdevice.c
 * Fix:     fba6c5d7bbca18cbf31d6ab4e9448c783a52b5a2
 * Bug:     arv_gv_device_auto_packet_size() clears (unrefs) the interface
 *          address it got from g_inet_socket_address_get_address(), which
 *          is transfer none, so it puts a reference it never owned.
 */
#include <stddef.h>
#include <stdint.h>
#include <kref.h>

/* A GObject reduced to its reference count. */
typedef struct {
	struct kref ref_count;
} GObject;

typedef struct { GObject parent; } GInetAddress;
typedef struct { GObject parent; } GSocketAddress;
typedef struct { GSocketAddress parent; } GInetSocketAddress;
typedef struct { GObject parent; } GSocket;

typedef struct {
	GSocketAddress *interface_address;	/* owned by the io data */
} ArvGvDeviceIOData;

typedef struct {
	ArvGvDeviceIOData *io_data;
} ArvGvDevicePrivate;

typedef struct {
	ArvGvDevicePrivate *priv;
} ArvGvDevice;

/* runs the type's dispose/finalize and frees the instance */
extern void g_object_finalize(GObject *object);

static void g_object_release(struct kref *kref)
{
	g_object_finalize(container_of(kref, GObject, ref_count));
}

void *g_object_ref(void *object)
{
	kref_get(&((GObject *)object)->ref_count);
	return object;
}

void g_object_unref(void *object)
{
	kref_put(&((GObject *)object)->ref_count, g_object_release);
}

#define g_clear_object(pp)				\
	do {						\
		if (*(pp) != NULL) {			\
			g_object_unref(*(pp));		\
			*(pp) = NULL;			\
		}					\
	} while (0)

/* returns the address inside the socket address, borrowed (transfer none) */
extern GInetAddress *g_inet_socket_address_get_address(GInetSocketAddress *address);
/* returns a new socket address (new reference); takes its own reference on @address */
extern GSocketAddress *g_inet_socket_address_new(GInetAddress *address, uint16_t port);
/* returns a new UDP socket (new reference) */
extern GSocket *g_socket_new_udp(void);
/* binds the socket to the address */
extern int g_socket_bind(GSocket *socket, GSocketAddress *address);
/* returns the socket's local address (new reference) */
extern GInetSocketAddress *g_socket_get_local_address(GSocket *socket);
/* returns the port of a socket address */
extern uint16_t g_inet_socket_address_get_port(GInetSocketAddress *address);
/* returns the raw bytes of an address, owned by the address */
extern const uint8_t *g_inet_address_to_bytes(GInetAddress *address);
/* writes a GenICam integer feature of the device */
extern void arv_device_set_integer_feature_value(ArvGvDevice *device, const char *feature, int64_t value);
/* fires test packets of growing size on the socket and returns the best size */
extern unsigned int arv_gv_device_probe_packet_size(ArvGvDevice *device, GSocket *socket);

unsigned int arv_gv_device_auto_packet_size(ArvGvDevice *gv_device)
{
	ArvGvDeviceIOData *io_data = gv_device->priv->io_data;
	GSocket *socket;
	GInetAddress *interface_address;
	GSocketAddress *interface_socket_address;
	GInetSocketAddress *local_address;
	const uint8_t *address_bytes;
	uint16_t port;
	unsigned int packet_size;

	interface_address = g_inet_socket_address_get_address((GInetSocketAddress *)io_data->interface_address);
	interface_socket_address = g_inet_socket_address_new(interface_address, 0);
	socket = g_socket_new_udp();
	g_socket_bind(socket, interface_socket_address);
	local_address = g_socket_get_local_address(socket);
	port = g_inet_socket_address_get_port(local_address);

	address_bytes = g_inet_address_to_bytes(interface_address);
	arv_device_set_integer_feature_value(gv_device, "GevSCDA",
					     (int64_t)address_bytes[0] << 24 | address_bytes[1] << 16 |
					     address_bytes[2] << 8 | address_bytes[3]);
	arv_device_set_integer_feature_value(gv_device, "GevSCPHostPort", port);

	g_clear_object(&local_address);
	g_clear_object(&interface_socket_address);
	g_clear_object(&interface_address); /* expect: rule 2 */

	packet_size = arv_gv_device_probe_packet_size(gv_device, socket);

	g_clear_object(&socket);

	return packet_size;
}
