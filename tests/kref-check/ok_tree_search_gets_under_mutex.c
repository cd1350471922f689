/* SPDX-License-Identifier: MIT */
/* Rule 3, correct: the same server, but the lookup takes its reference on
 * the client under the tree's mutex, and the caller drops it when done;
 * the final put erases the client under that mutex (kref_put_mutex). */
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/slab.h>

struct client {
	struct rb_node node;
	struct kref kref;
	struct server *srv;
	int id;
	bool kicked;
};

struct server {
	struct mutex clients_mutex;
	struct rb_root clients;
};

/* The tree's search: compares ids, takes no lock and no reference. */
struct client *client_tree_search(struct rb_root *root, int id);

static void client_release(struct kref *kref)
{
	struct client *c = container_of(kref, struct client, kref);

	rb_erase(&c->node, &c->srv->clients);
	mutex_unlock(&c->srv->clients_mutex);
	kfree(c);
}

void client_put(struct client *c)
{
	kref_put_mutex(&c->kref, client_release, &c->srv->clients_mutex);
}

static struct client *client_find_get(struct server *srv, int id)
{
	struct client *c;

	mutex_lock(&srv->clients_mutex);
	c = client_tree_search(&srv->clients, id);
	if (c)
		kref_get(&c->kref);
	mutex_unlock(&srv->clients_mutex);
	return c;
}

int client_kick(struct server *srv, int id)
{
	struct client *c = client_find_get(srv, id);

	if (!c)
		return -ENOENT;
	c->kicked = true;
	client_put(c);
	return 0;
}
