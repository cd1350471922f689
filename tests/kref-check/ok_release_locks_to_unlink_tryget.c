/* SPDX-License-Identifier: MIT */
/* Correct: kernel style.  The last bdi_put() drops the count with no lock;
 * its release then takes bdi_list_lock to unlink the writer before freeing
 * it.  bdi_lookup() walks the list under the lock and takes its reference
 * with kref_get_unless_zero(), so a writer whose count already reached 0
 * (not yet unlinked) is skipped, not revived. */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct bdi_writer {
	struct kref kref;
	struct list_head node;
	int id;
};

static LIST_HEAD(bdi_list);
static DEFINE_MUTEX(bdi_list_lock);

static void bdi_release(struct kref *kref)
{
	struct bdi_writer *w = container_of(kref, struct bdi_writer, kref);

	mutex_lock(&bdi_list_lock);
	list_del(&w->node);
	mutex_unlock(&bdi_list_lock);
	kfree(w);
}

void bdi_put(struct bdi_writer *w)
{
	kref_put(&w->kref, bdi_release);
}

struct bdi_writer *bdi_lookup(int id)
{
	struct bdi_writer *w, *found = NULL;

	mutex_lock(&bdi_list_lock);
	list_for_each_entry(w, &bdi_list, node) {
		if (w->id == id && kref_get_unless_zero(&w->kref)) {
			found = w;
			break;
		}
	}
	mutex_unlock(&bdi_list_lock);
	return found;
}
