/* SPDX-License-Identifier: MIT */
/* Rule 3: a server keeps its clients in a tree under a mutex.  The lookup
 * asks the tree's search helper under the mutex and returns the client
 * after dropping it, with no reference; the caller then writes to the
 * client while another thread's final put (which erases it from the tree
 * under the same mutex) may free it. */
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

static struct client *client_find(struct server *srv, int id)
{
	struct client *c;

	mutex_lock(&srv->clients_mutex);
	c = client_tree_search(&srv->clients, id);
	mutex_unlock(&srv->clients_mutex);
	return c;
}

int client_kick(struct server *srv, int id)
{
	struct client *c = client_find(srv, id);

	if (!c)
		return -ENOENT;
	c->kicked = true;	/* expect: rule 3 */
	return 0;
}
