/* SPDX-License-Identifier: MIT */
/*
 * Project: AravisProject/aravis
 * Path:    src/arvfakegvcamera.c
 * Fix:     fd5785166f19a82b569da5dda56230a9e1fc6b43
 * Bug:     on a heartbeat timeout handle_control_packet() forgets the stored
 *          controller address by setting it to NULL after a g_object_ref()
 *          where g_object_unref() was meant, so the stored reference leaks.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <kref.h>

/* A GObject reduced to its reference count. */
typedef struct {
	struct kref ref_count;
} GObject;

typedef struct { GObject parent; } GSocketAddress;
typedef struct { GObject parent; } GSocket;
typedef struct ArvFakeCamera ArvFakeCamera;
typedef struct ArvGvcpPacket ArvGvcpPacket;

typedef struct {
	ArvFakeCamera *camera;
	GSocketAddress *controller_address;	/* holds a reference when set */
	uint64_t controller_time_ms;
} ArvFakeGvCamera;

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

/* monotonic clock in milliseconds */
extern uint64_t arv_monotonic_time_ms(void);
/* heartbeat timeout of the fake camera, in milliseconds */
extern uint64_t arv_fake_camera_get_heartbeat_timeout(ArvFakeCamera *camera);
/* writes / reads the control channel privilege register */
extern void arv_fake_camera_set_control_channel_privilege(ArvFakeCamera *camera, uint32_t privilege);
extern uint32_t arv_fake_camera_get_control_channel_privilege(ArvFakeCamera *camera);
/* compares two socket addresses; does not keep either */
extern bool _g_inet_socket_address_is_equal(GSocketAddress *a, GSocketAddress *b);
/* decodes and answers one GVCP command (read/write memory or register,
 * discovery), writes only when @write_access is set */
extern void arv_fake_gv_camera_process_command(ArvFakeGvCamera *gv_camera, GSocket *socket,
					       GSocketAddress *remote_address,
					       ArvGvcpPacket *packet, size_t size,
					       bool write_access);
/* logs a warning */
extern void arv_warning_device(const char *message);

void arv_fake_gv_camera_free(ArvFakeGvCamera *gv_camera)
{
	if (gv_camera->controller_address != NULL)
		g_object_unref(gv_camera->controller_address);
	free(gv_camera);
}

void handle_control_packet(ArvFakeGvCamera *gv_camera, GSocket *socket,
			   GSocketAddress *remote_address,
			   ArvGvcpPacket *packet, size_t size)
{
	bool write_access;

	if (gv_camera->controller_address != NULL) {
		uint64_t elapsed_ms;

		elapsed_ms = arv_monotonic_time_ms() - gv_camera->controller_time_ms;

		if (elapsed_ms > arv_fake_camera_get_heartbeat_timeout(gv_camera->camera)) {
			g_object_unref(gv_camera->controller_address);
			gv_camera->controller_address = NULL;
			write_access = true;
			arv_warning_device("[FakeGvCamera::handle_control_packet] Heartbeat timeout");
			arv_fake_camera_set_control_channel_privilege(gv_camera->camera, 0);
		} else
			write_access = _g_inet_socket_address_is_equal(remote_address,
								       gv_camera->controller_address);
	} else
		write_access = true;

	arv_fake_gv_camera_process_command(gv_camera, socket, remote_address,
					   packet, size, write_access);

	if (gv_camera->controller_address == NULL &&
	    arv_fake_camera_get_control_channel_privilege(gv_camera->camera) != 0) {
		g_object_ref(remote_address);
		gv_camera->controller_address = remote_address;
		gv_camera->controller_time_ms = arv_monotonic_time_ms();
	}
}
