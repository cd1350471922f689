/* SPDX-License-Identifier: MIT */
/* Rule 3: the last user is recognised by reading the count under the
 * table's lock, but the put comes after the unlock: a lookup can take a
 * reference in between, or a second putter read the same count. */
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
	pthread_mutex_unlock(&p->lock);
	kref_put(&c->ref, conn_release);	/* expect: rule 3 */
}
