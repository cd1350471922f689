/* SPDX-License-Identifier: MIT */
/* Correct: the routing table loaded through the program's LOAD_PTR macro
 * (an atomic acquire load) is read and counted under the router's swap
 * lock, and the swap drops the old table's last reference under that
 * same lock (kref_put_mutex), so no reader can count a dying table
 * (issue 18). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <kref.h>

#define LOAD_PTR(slot)	atomic_load_explicit((slot), memory_order_acquire)

struct route_table { struct kref refs; unsigned n; };
static pthread_mutex_t swap_mu = PTHREAD_MUTEX_INITIALIZER;
struct router { _Atomic(struct route_table *) current; int id; };

/* Runs with swap_mu held (kref_put_mutex). */
static void route_table_free(struct kref *refs)
{
	pthread_mutex_unlock(&swap_mu);
	free(container_of(refs, struct route_table, refs));
}

void route_table_put(struct route_table *t)
{
	kref_put_mutex(&t->refs, route_table_free, &swap_mu);
}

struct route_table *router_table(struct router *r)
{
	struct route_table *t;

	pthread_mutex_lock(&swap_mu);
	t = LOAD_PTR(&r->current);
	kref_get(&t->refs);
	pthread_mutex_unlock(&swap_mu);
	return t;
}

void router_swap(struct router *r, struct route_table *fresh)
{
	struct route_table *old;

	pthread_mutex_lock(&swap_mu);
	old = atomic_exchange(&r->current, fresh);
	pthread_mutex_unlock(&swap_mu);
	route_table_put(old);
}
