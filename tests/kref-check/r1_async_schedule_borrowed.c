/* SPDX-License-Identifier: MIT */
/* Rule 1, kernel style: a port hands itself to async_schedule() so that
 * its slow firmware load runs in the background, without a reference for
 * the callback.  Unplugging the port drops the last reference meanwhile,
 * and port_load_firmware() then runs on freed memory. */
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
}

void fw_port_online(struct fw_port *port)
{
	async_schedule(port_load_firmware, port);	/* expect: rule 1 */
}
