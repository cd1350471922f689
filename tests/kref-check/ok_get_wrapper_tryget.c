/* SPDX-License-Identifier: MIT */
/* Correct: the final put takes no lock and the release unlinks the volume
 * after the count reached 0, so the lookup's hold helper takes the
 * reference only while the count is not 0, and a dying volume is skipped. */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

struct volume {
	struct kref kref;
	struct list_head link;
	int id;
};

static LIST_HEAD(volumes);
static DEFINE_SPINLOCK(volumes_lock);

static void volume_release(struct kref *kref)
{
	struct volume *v = container_of(kref, struct volume, kref);

	spin_lock(&volumes_lock);
	list_del(&v->link);
	spin_unlock(&volumes_lock);
	kfree(v);
}

static int volume_tryhold(struct volume *v)
{
	return kref_get_unless_zero(&v->kref);
}

void volume_put(struct volume *v)
{
	kref_put(&v->kref, volume_release);
}

struct volume *volume_lookup(int id)
{
	struct volume *v, *found = NULL;

	spin_lock(&volumes_lock);
	list_for_each_entry(v, &volumes, link) {
		if (v->id == id && volume_tryhold(v)) {
			found = v;
			break;
		}
	}
	spin_unlock(&volumes_lock);
	return found;
}
