/* SPDX-License-Identifier: MIT */
/* Correct, with ok_static_getter_a.c: here node_find() is a plain table
 * lookup of static entries (no count), and node_b_use() puts another
 * object, the session it made. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "../kernel_shim.h"

struct entry_b { int key; int weight; };
struct session_b { struct kref kref; struct entry_b *entry; };

static struct entry_b table_b[8];

static void session_b_release(struct kref *kref)
{
	kfree(container_of(kref, struct session_b, kref));
}

static struct entry_b *node_find(int key)
{
	return key >= 0 && key < 8 ? &table_b[key] : NULL;
}

int node_b_use(int key)
{
	struct entry_b *e = node_find(key);
	struct session_b *s;

	if (!e)
		return -ENOENT;
	if (e->weight < 0)
		return -EINVAL;
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	kref_init(&s->kref);
	s->entry = e;
	kref_put(&s->kref, session_b_release);
	return 0;
}
