/* SPDX-License-Identifier: MIT */
/* Correct: the mesh's list holds a reference to each peer; removal unlinks
 * the peer under the mesh's mutex and only then drops the list's
 * reference, so a lookup that finds a peer under the mutex finds it with a
 * count of at least 1, and a plain get there is safe although the final
 * put takes no lock. */
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
	kref_put(&p->kref, peer_free);
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

void mesh_remove(struct mesh *m, struct peer *p)
{
	mutex_lock(&m->lock);
	list_del(&p->node);
	mutex_unlock(&m->lock);
	peer_put(p);
}
