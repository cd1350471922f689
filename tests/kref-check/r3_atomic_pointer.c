/* SPDX-License-Identifier: MIT */
/* Rule 3 with an atomic pointer: loading the pointer atomically does not
 * keep the object alive until the reference is taken. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <kref.h>

struct route_table {
	struct kref ref;
	int nroutes;
	int routes[64];
};

static _Atomic(struct route_table *) current_table;
static pthread_mutex_t table_swap_lock = PTHREAD_MUTEX_INITIALIZER;

static void route_table_release(struct kref *ref)
{
	struct route_table *t = container_of(ref, struct route_table, ref);

	pthread_mutex_unlock(&table_swap_lock);
	free(t);
}

void route_table_put(struct route_table *t)
{
	kref_put_mutex(&t->ref, route_table_release, &table_swap_lock);
}

struct route_table *route_table_acquire(void)
{
	struct route_table *t = atomic_load(&current_table);

	kref_get(&t->ref);	/* expect: rule 3 */
	return t;
}
