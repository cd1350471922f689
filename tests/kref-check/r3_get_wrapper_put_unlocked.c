/* SPDX-License-Identifier: MIT */
/* Rule 3: the lookup takes its reference under the list's spinlock, but
 * through the program's own hold helper, a plain kref_get; the final put
 * takes no lock, and the release unlinks the volume only once the count
 * is 0, so the lookup can find and revive a volume being freed. */
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

static void volume_hold(struct volume *v)
{
	kref_get(&v->kref);
}

void volume_put(struct volume *v)
{
	kref_put(&v->kref, volume_release);	/* expect: rule 3 */
}

struct volume *volume_lookup(int id)
{
	struct volume *v, *found = NULL;

	spin_lock(&volumes_lock);
	list_for_each_entry(v, &volumes, link) {
		if (v->id == id) {
			volume_hold(v);	/* expect: rule 3 */
			found = v;
			break;
		}
	}
	spin_unlock(&volumes_lock);
	return found;
}
