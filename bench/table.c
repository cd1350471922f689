/* SPDX-License-Identifier: MIT */
/*
 * table.c - lookup + get + put over a table of 100,000 objects with
 * uniformly random keys: a table behind one pthread mutex (lookup and get
 * under the lock, kref_put_mutex) against the lock-free RCU table of
 * examples/rcu_table.h (kref_get_unless_zero under rcu_read_lock).
 */
#include <pthread.h>
#include <stdlib.h>
#include "rcu_table.h"
#include "table.h"

#define OBJECTS		100000UL
#define MUTEX_BUCKETS	(1UL << 17)

struct mitem {
	unsigned long key;
	struct kref ref;
	struct mitem *next;
};

static pthread_mutex_t mtable_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mitem *mtable[MUTEX_BUCKETS];
static struct table *rtable;
static unsigned long lost;	/* releases: none expected, the tables hold refs */
static _Thread_local bool registered;	/* with RCU, by table_bench_init */

static void mitem_release(struct kref *ref)
{
	lost++;
	pthread_mutex_unlock(&mtable_lock);
	(void)ref;
}

void table_bench_init(void)
{
	rcu_register_thread();
	registered = true;
	rtable = table_new(1UL << 17, false);
	for (unsigned long k = 0; k < OBJECTS; k++) {
		struct mitem *m = malloc(sizeof(*m));
		unsigned long b = table_hash(k) % MUTEX_BUCKETS;

		if (!m || !rtable || !table_insert(rtable, k))
			abort();
		m->key = k;
		kref_init(&m->ref);
		m->next = mtable[b];
		mtable[b] = m;
	}
}

static unsigned long next_key(unsigned long *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x % OBJECTS;
}

void lookups_mutex(long n)
{
	unsigned long x = (unsigned long)&x | 1;

	for (long i = 0; i < n; i++) {
		unsigned long key = next_key(&x);
		struct mitem *m;

		pthread_mutex_lock(&mtable_lock);
		for (m = mtable[table_hash(key) % MUTEX_BUCKETS]; m && m->key != key;
		     m = m->next)
			;
		if (m)
			kref_get(&m->ref);
		pthread_mutex_unlock(&mtable_lock);
		if (m)
			kref_put_mutex(&m->ref, mitem_release, &mtable_lock);
	}
}

void lookups_rcu(long n)
{
	unsigned long x = (unsigned long)&x | 1;
	bool visiting = !registered;	/* a bench thread, not main */

	if (visiting)
		rcu_register_thread();
	for (long i = 0; i < n; i++) {
		struct item *it = table_lookup(rtable, next_key(&x));

		if (it)
			item_put(it);
	}
	if (visiting)
		rcu_unregister_thread();
}

unsigned long table_bench_exit(void)
{
	for (unsigned long b = 0; b < MUTEX_BUCKETS; b++)
		while (mtable[b]) {
			struct mitem *m = mtable[b];

			mtable[b] = m->next;
			free(m);
		}
	table_destroy(rtable);
	rcu_unregister_thread();
	return lost;
}
