/* SPDX-License-Identifier: MIT */
/* Correct, kernel style: the port takes a reference for the background
 * firmware load it schedules, and the callback drops it when done. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

typedef unsigned long long async_cookie_t;
typedef void (*async_func_t)(void *data, async_cookie_t cookie);
async_cookie_t async_schedule(async_func_t func, void *data);
int request_fw_blob(int id, void **blob);

struct fw_port {
	struct kref kref;
	int id;
	void *blob;
};

static void fw_port_release(struct kref *kref)
{
	kfree(container_of(kref, struct fw_port, kref));
}

void fw_port_put(struct fw_port *port)
{
	kref_put(&port->kref, fw_port_release);
}

static void port_load_firmware(void *data, async_cookie_t cookie)
{
	struct fw_port *port = data;

	(void)cookie;
	request_fw_blob(port->id, &port->blob);
	fw_port_put(port);
}

void fw_port_online(struct fw_port *port)
{
	kref_get(&port->kref);
	async_schedule(port_load_firmware, port);
}
