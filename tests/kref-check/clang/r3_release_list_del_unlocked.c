/* SPDX-License-Identifier: MIT */
/* Rule 3: the release unlinks the entry with list_del() holding no
 * lock while lookups walk the list and get under dev->lock; the put is made
 * without the lock. */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct client { struct kref ref; struct list_head node; int id; };
struct dev { struct mutex lock; struct list_head clients; };

static void client_release(struct kref *ref)
{
	struct client *c = container_of(ref, struct client, ref);

	list_del(&c->node);
	kfree(c);
}

struct client *dev_find_client(struct dev *d, int id)
{
	struct client *c;

	mutex_lock(&d->lock);
	list_for_each_entry(c, &d->clients, node)
		if (c->id == id) {
			kref_get(&c->ref);
			mutex_unlock(&d->lock);
			return c;
		}
	mutex_unlock(&d->lock);
	return NULL;
}

void client_put(struct client *c)
{
	kref_put(&c->ref, client_release);	/* expect: rule 3 */
}
