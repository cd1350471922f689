/* SPDX-License-Identifier: MIT */
/* Rule 3: kernel style.  conn_find() looks a connection up in the global
 * hash with no lock and no RCU read section, then takes a reference with
 * kref_get_unless_zero().  conn_release() unhashes the connection under
 * conn_lock and kfree()s it at once, so the memory read may already be
 * freed when the count is read.  Hold conn_lock (or use RCU and
 * kfree_rcu) around the lookup and the tryget. */
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct conn {
	struct kref kref;
	unsigned int id;
};

static struct conn_hash *conns;
static DEFINE_SPINLOCK(conn_lock);

/* Returns the connection for id (the hash keeps no reference), or NULL. */
extern struct conn *conn_hash_find(struct conn_hash *h, unsigned int id);
extern void conn_hash_del(struct conn_hash *h, struct conn *c);

static void conn_release(struct kref *kref)
{
	struct conn *c = container_of(kref, struct conn, kref);

	spin_lock(&conn_lock);
	conn_hash_del(conns, c);
	spin_unlock(&conn_lock);
	kfree(c);
}

void conn_put(struct conn *c)
{
	kref_put(&c->kref, conn_release);
}

struct conn *conn_find(unsigned int id)
{
	struct conn *c;

	c = conn_hash_find(conns, id);
	if (c && !kref_get_unless_zero(&c->kref))	/* expect: rule 3 */
		c = NULL;
	return c;
}
