/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 0f9b74e50d061306f8e7f902007df852992c0dfc "mpt2sas: Refcount fw_events
 * and fix unsafe list usage", drivers/scsi/mpt2sas/mpt2sas_scsih.c,
 * _scsih_fw_event_cleanup_queue() and _firmware_event_work().  At shutdown
 * the cleanup walks ioc->fw_event_list without fw_event_lock while the
 * event worker unlinks and frees (under that lock) the event it processed.
 * The fix refcounts the events (a reference for the list, one for the
 * work) and dequeues them one at a time under the lock, taking over the
 * list's reference.  Counted with a kref here (the unfixed driver freed
 * events directly); pre-fix code read in torvalds/linux.
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

#ifndef list_for_each_entry_safe
#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_entry((head)->next, __typeof__(*pos), member),	\
	     n = list_entry(pos->member.next, __typeof__(*pos), member);	\
	     &pos->member != (head);					\
	     pos = n, n = list_entry(n->member.next, __typeof__(*n), member))
#endif

struct MPT2SAS_ADAPTER {
	spinlock_t fw_event_lock;
	struct list_head fw_event_list;
};

struct fw_event_work {
	struct kref refcount;
	struct list_head list;
	struct work_struct work;
	struct MPT2SAS_ADAPTER *ioc;
	int cancel_pending_work;
};

/* Cancels the event's work if it has not started; true if it was pending. */
extern bool cancel_work(struct work_struct *work);
/* Handles one firmware event (topology change, port enable, ...). */
extern void _mpt2sas_fw_work(struct MPT2SAS_ADAPTER *ioc, struct fw_event_work *fw_event);

static void fw_event_work_free(struct kref *r)
{
	kfree(container_of(r, struct fw_event_work, refcount));
}

static void fw_event_work_put(struct fw_event_work *fw_event)
{
	kref_put(&fw_event->refcount, fw_event_work_free);
}

static void _scsih_fw_event_free(struct MPT2SAS_ADAPTER *ioc, struct fw_event_work *fw_event)
{
	spin_lock(&ioc->fw_event_lock);
	list_del(&fw_event->list);
	fw_event_work_put(fw_event);
	spin_unlock(&ioc->fw_event_lock);
}

static void _firmware_event_work(struct work_struct *work)
{
	struct fw_event_work *fw_event = container_of(work, struct fw_event_work, work);

	_mpt2sas_fw_work(fw_event->ioc, fw_event);
	_scsih_fw_event_free(fw_event->ioc, fw_event);
}

void _scsih_fw_event_add(struct MPT2SAS_ADAPTER *ioc, struct fw_event_work *fw_event)
{
	spin_lock(&ioc->fw_event_lock);
	list_add_tail(&fw_event->list, &ioc->fw_event_list);
	INIT_WORK(&fw_event->work, _firmware_event_work);
	schedule_work(&fw_event->work);
	spin_unlock(&ioc->fw_event_lock);
}

void mpt2sas_port_enable_complete(struct MPT2SAS_ADAPTER *ioc)
{
	struct fw_event_work *fw_event = kzalloc(sizeof(*fw_event), GFP_ATOMIC);

	if (!fw_event)
		return;
	kref_init(&fw_event->refcount);
	fw_event->ioc = ioc;
	_scsih_fw_event_add(ioc, fw_event);
}

void _scsih_fw_event_cleanup_queue(struct MPT2SAS_ADAPTER *ioc)
{
	struct fw_event_work *fw_event, *next;

	list_for_each_entry_safe(fw_event, next, &ioc->fw_event_list, list) { /* expect: rule 3 */
		if (cancel_work(&fw_event->work)) {
			_scsih_fw_event_free(ioc, fw_event);
			continue;
		}
		fw_event->cancel_pending_work = 1;
	}
}
