/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r2_efc_nport_vport_del.c (own code): torvalds/linux commit
 * 2e4b02fad094976763af08fec2c620f4f8edd9ae,
 * drivers/scsi/elx/libefc/efc_nport.c.  The shutdown event is posted
 * first; the reference is dropped last.
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct efc_nport {
	struct kref ref;
	void (*release)(struct kref *ref);
	struct list_head list_entry;
	unsigned long long wwpn, wwnn;
	int sm_state;
};
struct efc_domain { struct list_head nport_list; };
struct efc { spinlock_t lock; };

void efc_sm_post_event(int *sm, int evt, void *arg);

void efc_nport_free(struct kref *ref)
{
	struct efc_nport *nport = container_of(ref, struct efc_nport, ref);

	list_del(&nport->list_entry);
	kfree(nport);
}

int efc_nport_vport_del(struct efc *efc, struct efc_domain *domain,
			unsigned long long wwpn, unsigned long long wwnn)
{
	struct efc_nport *nport;
	unsigned long flags;

	spin_lock_irqsave(&efc->lock, flags);
	list_for_each_entry(nport, &domain->nport_list, list_entry) {
		if (nport->wwpn == wwpn && nport->wwnn == wwnn) {
			efc_sm_post_event(&nport->sm_state, 1, NULL);
			kref_put(&nport->ref, nport->release);
			break;
		}
	}
	spin_unlock_irqrestore(&efc->lock, flags);
	return 0;
}
