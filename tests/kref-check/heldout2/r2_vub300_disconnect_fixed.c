/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r2_vub300_disconnect.c (own code): torvalds/linux commit
 * dff34ef879c5e73298443956a8b391311ba78d57, drivers/mmc/host/vub300.c.
 * The two calls are swapped: the mmc host is removed first, and only then
 * is the driver's reference dropped.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct usb_interface { void *intfdata; };
struct mmc_host { unsigned long private[0]; };
struct vub300_mmc_host {
	struct kref kref;
	struct mmc_host *mmc;
	struct usb_interface *interface;
};

void *usb_get_intfdata(struct usb_interface *intf);
void usb_set_intfdata(struct usb_interface *intf, void *data);
void mmc_remove_host(struct mmc_host *host);
void mmc_free_host(struct mmc_host *host);

static void vub300_delete(struct kref *kref)
{
	struct vub300_mmc_host *vub300 = container_of(kref, struct vub300_mmc_host, kref);

	vub300->interface = NULL;
	mmc_free_host(vub300->mmc);	/* frees vub300 too: it is mmc_priv() */
}

static void vub300_disconnect(struct usb_interface *interface)
{
	struct vub300_mmc_host *vub300 = usb_get_intfdata(interface);
	struct mmc_host *mmc;

	if (!vub300 || !vub300->mmc)
		return;
	mmc = vub300->mmc;
	usb_set_intfdata(interface, NULL);
	/* prevent more I/O from starting */
	vub300->interface = NULL;
	mmc_remove_host(mmc);
	kref_put(&vub300->kref, vub300_delete);
	pr_info("USB vub300 remote SDIO host controller now disconnected");
}

struct usb_driver { void (*disconnect)(struct usb_interface *intf); };
struct usb_driver vub300_driver = { .disconnect = vub300_disconnect };
