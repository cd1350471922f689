/* SPDX-License-Identifier: MIT */
/* Rule 3, correct: the last user is recognised by reading the count under
 * the table's lock, and the put is made before the unlock: no lookup and
 * no other put can come in between. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct conn { struct kref ref; int host; };
struct pool { pthread_mutex_t lock; void *table; };

/* The connection for host, or NULL; the table's pointer. */
extern struct conn *table_find(void *table, int host);
extern void table_remove(void *table, struct conn *c);

static void conn_release(struct kref *ref)
{
	free(container_of(ref, struct conn, ref));
}

struct conn *pool_get(struct pool *p, int host)
{
	struct conn *c;

	pthread_mutex_lock(&p->lock);
	c = table_find(p->table, host);
	if (c)
		kref_get(&c->ref);
	pthread_mutex_unlock(&p->lock);
	return c;
}

void pool_put(struct pool *p, struct conn *c)
{
	pthread_mutex_lock(&p->lock);
	if (kref_read(&c->ref) == 1)
		table_remove(p->table, c);
	kref_put(&c->ref, conn_release);
	pthread_mutex_unlock(&p->lock);
}
