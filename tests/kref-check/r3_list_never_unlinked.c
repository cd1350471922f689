/* SPDX-License-Identifier: MIT */
/* Rule 3: peers are found by walking the mesh's list under its mutex and
 * taken with a plain get, but nothing ever takes a peer out of the list
 * before its last put: the list holds no reference of its own, the final
 * put takes no lock, and a lookup can revive a peer whose count reached
 * 0. */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>

struct mesh {
	struct mutex lock;
	struct list_head peers;
};

struct peer {
	struct kref kref;
	struct list_head node;
	unsigned int addr;
};

static void peer_free(struct kref *kref)
{
	kfree(container_of(kref, struct peer, kref));
}

void peer_put(struct peer *p)
{
	kref_put(&p->kref, peer_free);	/* expect: rule 3 */
}

static struct peer *mesh_walk(struct mesh *m, unsigned int addr)
{
	struct peer *p;

	list_for_each_entry(p, &m->peers, node)
		if (p->addr == addr)
			return p;
	return NULL;
}

struct peer *mesh_peer(struct mesh *m, unsigned int addr)
{
	struct peer *p;

	mutex_lock(&m->lock);
	p = mesh_walk(m, addr);
	if (p)
		kref_get(&p->kref);
	mutex_unlock(&m->lock);
	return p;
}
