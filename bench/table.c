/* SPDX-License-Identifier: MIT */
/*
 * table.c - lookup + get + put over a table of 100,000 objects with
 * uniformly random keys, three ways:
 *  - chained buckets behind one pthread mutex: lookup and get under the
 *    lock, put with kref_put_mutex (Rule 3 with a lock);
 *  - the same buckets read under rcu_read_lock with kref_get_unless_zero
 *    (Rule 3 with RCU): only the synchronisation differs;
 *  - liburcu's cds_lfht (examples/rcu_table.h), for reference.
 * The tables hold their references, so nothing is released.
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
	_Atomic(struct mitem *) next;
};

/* Writers (here only the set-up) hold mtable_lock; RCU readers do not. */
static pthread_mutex_t mtable_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic(struct mitem *) mtable[MUTEX_BUCKETS];
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
		pthread_mutex_lock(&mtable_lock);
		atomic_store_explicit(&m->next, atomic_load_explicit(&mtable[b],
				      memory_order_relaxed), memory_order_relaxed);
		/* Release: an RCU reader that finds m sees it initialised. */
		atomic_store_explicit(&mtable[b], m, memory_order_release);
		pthread_mutex_unlock(&mtable_lock);
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
		for (m = atomic_load_explicit(&mtable[table_hash(key) % MUTEX_BUCKETS],
					      memory_order_relaxed);
		     m && m->key != key;
		     m = atomic_load_explicit(&m->next, memory_order_relaxed))
			;
		if (m)
			kref_get(&m->ref);
		pthread_mutex_unlock(&mtable_lock);
		if (m)
			kref_put_mutex(&m->ref, mitem_release, &mtable_lock);
	}
}

/* Runs @body(@n) as an RCU reader: a bench thread registers for it. */
static void as_rcu_reader(void (*body)(long), long n)
{
	bool visiting = !registered;

	if (visiting)
		rcu_register_thread();
	body(n);
	if (visiting)
		rcu_unregister_thread();
}

static void buckets_body(long n)
{
	unsigned long x = (unsigned long)&x | 1;

	for (long i = 0; i < n; i++) {
		unsigned long key = next_key(&x);
		struct mitem *m;

		rcu_read_lock();
		/* Acquire: pairs with the writer's release when linking. */
		for (m = atomic_load_explicit(&mtable[table_hash(key) % MUTEX_BUCKETS],
					      memory_order_acquire);
		     m && m->key != key;
		     m = atomic_load_explicit(&m->next, memory_order_acquire))
			;
		if (m && !kref_get_unless_zero(&m->ref))
			m = NULL;
		rcu_read_unlock();
		if (m)
			kref_put_mutex(&m->ref, mitem_release, &mtable_lock);
	}
}

static void lfht_body(long n)
{
	unsigned long x = (unsigned long)&x | 1;

	for (long i = 0; i < n; i++) {
		struct item *it = table_lookup(rtable, next_key(&x));

		if (it)
			item_put(it);
	}
}

void lookups_rcu_buckets(long n)
{
	as_rcu_reader(buckets_body, n);
}

void lookups_rcu(long n)
{
	as_rcu_reader(lfht_body, n);
}

unsigned long table_bench_exit(void)
{
	for (unsigned long b = 0; b < MUTEX_BUCKETS; b++)
		for (struct mitem *m = mtable[b], *next; m; m = next) {
			next = m->next;
			free(m);
		}
	table_destroy(rtable);
	rcu_unregister_thread();
	return lost;
}
