/* SPDX-License-Identifier: MIT */
/* Correct, with ok_static_getter_b.c, checked as one program (a directory
 * run): this file's static node_find() takes a reference; the other file's
 * static node_find() does not.  What is learnt of one must not be applied
 * to the other's calls (issue 18). */
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "../kernel_shim.h"

struct node_a {
	struct kref kref;
	int key;
	struct node_a *next;
};

static DEFINE_MUTEX(nodes_a_lock);
static struct node_a *nodes_a;

static void node_a_release(struct kref *kref)
{
	kfree(container_of(kref, struct node_a, kref));
}

static struct node_a *node_find(int key)
{
	struct node_a *n;

	mutex_lock(&nodes_a_lock);
	for (n = nodes_a; n; n = n->next)
		if (n->key == key) {
			kref_get(&n->kref);
			break;
		}
	mutex_unlock(&nodes_a_lock);
	return n;
}

int node_a_touch(int key)
{
	struct node_a *n = node_find(key);

	if (!n)
		return -ENOENT;
	n->key++;
	mutex_lock(&nodes_a_lock);
	kref_put(&n->kref, node_a_release);
	mutex_unlock(&nodes_a_lock);
	return 0;
}
