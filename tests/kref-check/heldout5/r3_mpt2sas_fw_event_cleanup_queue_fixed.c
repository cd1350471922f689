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

/* Cancels the work, or waits for it if running; true if it never ran. */
extern bool cancel_work_sync(struct work_struct *work);

struct MPT2SAS_ADAPTER {
	spinlock_t fw_event_lock;
	struct list_head fw_event_list;
};

struct fw_event_work {
	struct kref refcount;
	struct list_head list;
	struct work_struct work;
	struct MPT2SAS_ADAPTER *ioc;
};

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

static void fw_event_work_get(struct fw_event_work *fw_event)
{
	kref_get(&fw_event->refcount);
}

static void _scsih_fw_event_del_from_list(struct MPT2SAS_ADAPTER *ioc, struct fw_event_work *fw_event)
{
	spin_lock(&ioc->fw_event_lock);
	if (!list_empty(&fw_event->list)) {
		list_del(&fw_event->list);
		INIT_LIST_HEAD(&fw_event->list);
		fw_event_work_put(fw_event);
	}
	spin_unlock(&ioc->fw_event_lock);
}

/* Takes the first event off the list with the list's reference. */
static struct fw_event_work *dequeue_next_fw_event(struct MPT2SAS_ADAPTER *ioc)
{
	struct fw_event_work *fw_event = NULL;

	spin_lock(&ioc->fw_event_lock);
	if (!list_empty(&ioc->fw_event_list)) {
		fw_event = list_first_entry(&ioc->fw_event_list, struct fw_event_work, list);
		list_del(&fw_event->list);
		INIT_LIST_HEAD(&fw_event->list);
	}
	spin_unlock(&ioc->fw_event_lock);
	return fw_event;
}

static void _firmware_event_work(struct work_struct *work)
{
	struct fw_event_work *fw_event = container_of(work, struct fw_event_work, work);

	_scsih_fw_event_del_from_list(fw_event->ioc, fw_event);
	_mpt2sas_fw_work(fw_event->ioc, fw_event);
	fw_event_work_put(fw_event);	/* the work's reference */
}

void _scsih_fw_event_add(struct MPT2SAS_ADAPTER *ioc, struct fw_event_work *fw_event)
{
	spin_lock(&ioc->fw_event_lock);
	fw_event_work_get(fw_event);
	list_add_tail(&fw_event->list, &ioc->fw_event_list);
	INIT_WORK(&fw_event->work, _firmware_event_work);
	fw_event_work_get(fw_event);
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
	fw_event_work_put(fw_event);
}

void _scsih_fw_event_cleanup_queue(struct MPT2SAS_ADAPTER *ioc)
{
	struct fw_event_work *fw_event;

	while ((fw_event = dequeue_next_fw_event(ioc))) {
		if (cancel_work_sync(&fw_event->work))
			fw_event_work_put(fw_event);	/* the work's */
		fw_event_work_put(fw_event);		/* the list's */
	}
}
