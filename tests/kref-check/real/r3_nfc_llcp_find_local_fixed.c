/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r3_nfc_llcp_find_local.c (own code): torvalds/linux commit
 * 6709d4b7bc2e079241fdef15d1160581c5261c10, net/nfc/llcp_core.c.  The list
 * is walked under llcp_devices_lock, the lock the final put takes, the
 * reference is taken there, and every caller puts the local when done.
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct nfc_dev { int idx; };
struct nfc_llcp_local { struct kref ref; struct list_head list; struct nfc_dev *dev; int remote_gb_len; };

static LIST_HEAD(llcp_devices);
static DEFINE_SPINLOCK(llcp_devices_lock);

static void local_release(struct kref *ref)
{
	struct nfc_llcp_local *local = container_of(ref, struct nfc_llcp_local, ref);

	list_del(&local->list);
	spin_unlock(&llcp_devices_lock);
	kfree(local);
}

void nfc_llcp_local_put(struct nfc_llcp_local *local)
{
	kref_put_lock(&local->ref, local_release, &llcp_devices_lock);
}

struct nfc_llcp_local *nfc_llcp_find_local(struct nfc_dev *dev)
{
	struct nfc_llcp_local *local, *res = NULL;

	spin_lock(&llcp_devices_lock);
	list_for_each_entry(local, &llcp_devices, list)
		if (local->dev == dev) {
			kref_get(&local->ref);
			res = local;
			break;
		}
	spin_unlock(&llcp_devices_lock);
	return res;
}

int nfc_llcp_set_remote_gb(struct nfc_dev *dev, int gb_len)
{
	struct nfc_llcp_local *local = nfc_llcp_find_local(dev);

	if (!local)
		return -ENODEV;
	local->remote_gb_len = gb_len;
	nfc_llcp_local_put(local);
	return 0;
}
