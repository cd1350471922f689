/* SPDX-License-Identifier: MIT */
/* Rule 3: the current routing table hangs off a router and is swapped
 * by writers; readers load it through the program's own LOAD_PTR macro
 * (an atomic acquire load of the member) and count it with no lock at
 * all.  A writer's swap and final put can free the table between the
 * load and the get (issue 18: a macro's body read as the read it is). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <kref.h>

#define LOAD_PTR(slot)	atomic_load_explicit((slot), memory_order_acquire)

struct route_table { struct kref refs; unsigned n; };
struct router { _Atomic(struct route_table *) current; int id; };

static void route_table_free(struct kref *refs)
{
	free(container_of(refs, struct route_table, refs));
}

void route_table_put(struct route_table *t)
{
	kref_put(&t->refs, route_table_free);
}

struct route_table *router_table(struct router *r)
{
	struct route_table *t = LOAD_PTR(&r->current);

	kref_get(&t->refs);	/* expect: rule 3 */
	return t;
}

void router_swap(struct router *r, struct route_table *fresh)
{
	struct route_table *old = atomic_exchange(&r->current, fresh);

	route_table_put(old);
}
