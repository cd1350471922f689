/* SPDX-License-Identifier: MIT */
/* Rule 1, kernel style: the entry goes on the pending list, which the
 * reaper walks under pending_lock, and the list's reference is taken after
 * the lock is dropped; the reaper may have put and freed it by then. */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>

struct pending_io {
	struct list_head node;
	struct kref kref;
	unsigned long sector;
};

static LIST_HEAD(pending);
static DEFINE_MUTEX(pending_lock);

static void pending_io_release(struct kref *kref)
{
	struct pending_io *io = container_of(kref, struct pending_io, kref);

	kfree(io);
}

/* The reaper thread: drops the list's reference of every entry. */
void reap_pending(void)
{
	struct pending_io *io;

	mutex_lock(&pending_lock);
	while (!list_empty(&pending)) {
		io = list_first_entry(&pending, struct pending_io, node);
		list_del(&io->node);
		kref_put(&io->kref, pending_io_release);
	}
	mutex_unlock(&pending_lock);
}

struct pending_io *queue_io(unsigned long sector)
{
	struct pending_io *io = kzalloc(sizeof(*io), GFP_KERNEL);

	if (!io)
		return NULL;
	kref_init(&io->kref);
	io->sector = sector;
	mutex_lock(&pending_lock);
	list_add_tail(&io->node, &pending);
	mutex_unlock(&pending_lock);
	kref_get(&io->kref);	/* expect: rule 1 */
	return io;
}
