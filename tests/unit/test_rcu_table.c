/* SPDX-License-Identifier: MIT */
/*
 * test_rcu_table.c - lock-free lookups under load (examples/rcu_table.h):
 * two threads look up random keys while a third deletes and inserts, so
 * lookups keep meeting objects whose last reference is being dropped.  No
 * lookup may return an object whose release has begun, and every object
 * is freed once the table is gone.  Once with kref_get_unless_zero, once
 * with rcuref_get.
 */
#include "rcu_table.h"
#include "tap.h"

#define LIVE		1000	/* keys in the table at any time */
#define REPLACES	30000	/* at least; more until MIN_LOOKUPS were made */
#define MIN_LOOKUPS	20000
#define READERS		2

static struct table *table;
static struct item *live[LIVE];		/* the writer's: table references */
static atomic_ulong base;		/* live keys are base .. base + LIVE */
static atomic_int stop;
static atomic_long lookups, found, bad;
static pthread_barrier_t start;

static void *reader(void *arg)
{
	unsigned int seed = (unsigned int)(size_t)arg;

	rcu_register_thread();
	pthread_barrier_wait(&start);
	while (!atomic_load(&stop)) {
		unsigned long key = atomic_load(&base) + (unsigned long)rand_r(&seed) % LIVE;
		struct item *it = table_lookup(table, key);

		atomic_fetch_add(&lookups, 1);
		if (!it)
			continue;
		if (atomic_load(&it->released) || it->key != key ||
		    it->value != (long)key * 3)
			atomic_fetch_add(&bad, 1);
		atomic_fetch_add(&found, 1);
		item_put(it);
	}
	rcu_unregister_thread();
	return NULL;
}

static void run(bool use_rcuref)
{
	pthread_t t[READERS];
	unsigned long r;
	long frees;

	table = table_new(LIVE, use_rcuref);
	if (!table)
		BAIL_OUT("out of memory");
	atomic_store(&base, 0);
	atomic_store(&stop, 0);
	atomic_store(&lookups, 0);
	atomic_store(&found, 0);
	atomic_store(&bad, 0);
	pthread_barrier_init(&start, NULL, READERS + 1);
	for (unsigned long k = 0; k < LIVE; k++)
		live[k] = table_insert(table, k);
	for (size_t i = 0; i < READERS; i++)
		pthread_create(&t[i], NULL, reader, (void *)(i + 1));
	pthread_barrier_wait(&start);
	for (r = 0; r < REPLACES || atomic_load(&lookups) < MIN_LOOKUPS; r++) {
		unsigned long old = atomic_load(&base);

		item_put(live[old % LIVE]);	/* delete: drop the table's ref */
		live[old % LIVE] = table_insert(table, old + LIVE);
		atomic_store(&base, old + 1);
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < READERS; i++)
		pthread_join(t[i], NULL);
	frees = table_destroy(table);

	ok(atomic_load(&found) > 0, "%s: %ld lookups found a live object",
	   use_rcuref ? "rcuref_get" : "kref_get_unless_zero", atomic_load(&found));
	is(atomic_load(&bad), 0, "  none returned an object being released");
	is(frees, (long)(LIVE + r), "  all %lu objects freed through call_rcu, "
	   "none leaked", LIVE + r);
	pthread_barrier_destroy(&start);
}

int main(void)
{
	rcu_register_thread();
	run(false);
	run(true);
	rcu_unregister_thread();
	return done_testing();
}
