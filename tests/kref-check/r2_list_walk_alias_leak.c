/* SPDX-License-Identifier: MIT */
/* Rule 2, kernel style: the found entry (an alias of the cursor) leaks on
 * an error return. */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct client { struct kref kref; struct list_head node; int id; };
static LIST_HEAD(clients);
static DEFINE_MUTEX(clients_mutex);

static void client_release(struct kref *kref)
{
	struct client *c = container_of(kref, struct client, kref);
	list_del(&c->node);
	mutex_unlock(&clients_mutex);
	kfree(c);
}

static void client_put(struct client *c)
{
	kref_put_mutex(&c->kref, client_release, &clients_mutex);
}

/* Correct: the walk holds the mutex; the work item's reference is taken
 * before it is scheduled. */
struct work_item { struct work_struct work; struct client *c; };

int ping_all(void)
{
	struct client *c;
	int n = 0;

	mutex_lock(&clients_mutex);
	list_for_each_entry(c, &clients, node) {
		kref_get(&c->kref);
		n++;
		mutex_unlock(&clients_mutex);
		client_put(c);
		mutex_lock(&clients_mutex);
		break;
	}
	mutex_unlock(&clients_mutex);
	return n;
}

/* Violation: an error return after the lookup skips the put. */
int client_kick(int id)
{
	struct client *c, *found = NULL;

	mutex_lock(&clients_mutex);
	list_for_each_entry(c, &clients, node)
		if (c->id == id) {
			found = c;
			kref_get(&found->kref);
			break;
		}
	mutex_unlock(&clients_mutex);
	if (!found)
		return -ENOENT;
	if (found->id < 0)
		return -EINVAL;	/* expect: rule 2 */
	client_put(found);
	return 0;
}
