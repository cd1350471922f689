/* SPDX-License-Identifier: MIT */
/* Correct: kernel style.  conn_find() looks a connection up in the global
 * hash with no lock, then takes a reference with kref_get_unless_zero().
 * conn_release() unhashes the connection and hands its memory to the
 * connection pool, which keeps it until the module unloads, after every
 * reader is gone: the count read by the tryget is always there, and a
 * dying connection is refused. */
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

/* Keeps the connection's memory in the pool until the module unloads. */
extern void conn_pool_recycle(struct conn *c);

static void conn_release(struct kref *kref)
{
	struct conn *c = container_of(kref, struct conn, kref);

	spin_lock(&conn_lock);
	conn_hash_del(conns, c);
	spin_unlock(&conn_lock);
	conn_pool_recycle(c);
}

void conn_put(struct conn *c)
{
	kref_put(&c->kref, conn_release);
}

struct conn *conn_find(unsigned int id)
{
	struct conn *c;

	c = conn_hash_find(conns, id);
	if (c && !kref_get_unless_zero(&c->kref))
		c = NULL;
	return c;
}
