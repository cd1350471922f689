/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 6709d4b7bc2e079241fdef15d1160581c5261c10 "net: nfc: Fix use-after-free
 * caused by nfc_llcp_find_local" (CVE-2023-3863), net/nfc/llcp_core.c.
 * nfc_llcp_find_local() walked the global list of llcp locals and handed
 * back a pointer with no reference; callers used it while the device could
 * be unregistered and its local freed.
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
	struct nfc_llcp_local *local;

	list_for_each_entry(local, &llcp_devices, list)
		if (local->dev == dev)
			return local;
	return NULL;
}

int nfc_llcp_set_remote_gb(struct nfc_dev *dev, int gb_len)
{
	struct nfc_llcp_local *local = nfc_llcp_find_local(dev);

	if (!local)
		return -ENODEV;
	local->remote_gb_len = gb_len;	/* expect: rule 3 */
	return 0;
}
