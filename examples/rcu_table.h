/* SPDX-License-Identifier: MIT */
/*
 * rcu_table.h - Rule 3 at scale: an object table (liburcu's cds_lfht) whose
 * lookups take no lock.  A lookup runs under rcu_read_lock() and takes its
 * reference with kref_get_unless_zero() (or rcuref_get(), per table): an
 * object whose count already reached 0 is still in the table for a moment,
 * but the get fails and the lookup returns NULL.  The release function
 * unlinks the object and frees it through call_rcu(), after every lookup
 * that might still see it has left its read section.
 *
 * Every thread that uses a table calls rcu_register_thread() first.
 * A program that may use liburcu's LGPL API defines _LGPL_SOURCE before
 * including this header: rcu_read_lock() and rcu_read_unlock() are then
 * inline, about 1.5 ns a pair against 14 to 18 ns for the calls into
 * liburcu.so (docs/benchmarks.md, Tables).
 *
 * table_destroy() is for a table nobody uses any more: every other thread's
 * lookups, inserts and puts on it have returned (joined, or ordered before
 * the call by a lock or the like), and every reference they took has been
 * put, so the table's own references are the last.  Then it unlinks every
 * object and frees them all after one grace period, not one call_rcu each.
 *
 * Used by tests/unit/test_rcu_table.c and the bench (bench/table.c).
 */
#ifndef EXAMPLES_RCU_TABLE_H
#define EXAMPLES_RCU_TABLE_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <urcu.h>
#include <urcu/rculfhash.h>
#include <kref.h>

/*
 * liburcu is not built for ThreadSanitizer, which therefore cannot see
 * that a grace period orders every read section before the free, nor that
 * cds_lfht_add publishes an item.  These tell it; they are no-ops
 * otherwise.
 */
#ifdef KREF_TSAN
static char rcu_table_grace_period;
#define tsan_publish(item)	__tsan_release(item)
#define tsan_found(item)	__tsan_acquire(item)
#define tsan_before_grace_period() __tsan_release(&rcu_table_grace_period)
#define tsan_grace_period()	__tsan_acquire(&rcu_table_grace_period)
#else
#define tsan_publish(item)	((void)(item))
#define tsan_found(item)	((void)(item))
#define tsan_before_grace_period() ((void)0)
#define tsan_grace_period()	((void)0)
#endif

struct item {
	unsigned long key;
	long value;			/* key * 3, checked by the test */
	struct kref ref;		/* used by kref tables */
	rcuref_t rref;			/* used by rcuref tables */
	atomic_int released;		/* set when its release begins */
	struct cds_lfht_node node;
	union {				/* once released, it waits on one: */
		struct rcu_head rcu;	/* call_rcu's queue */
		struct item *next_dead;	/* table->dead, in table_destroy */
	};
	struct table *table;
};

struct table {
	struct cds_lfht *ht;
	bool use_rcuref;
	bool destroying;		/* in table_destroy: releases go to dead */
	struct item *dead;
	atomic_long frees;
};

/* Mixed in 64 bits, so the shifts are defined where long has 32. */
static inline unsigned long table_hash(unsigned long key)
{
	uint64_t h = key;

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	return (unsigned long)(h ^ (h >> 33));
}

/* A table for about @objects objects (it grows past that by itself). */
static inline struct table *table_new(unsigned long objects, bool use_rcuref)
{
	struct table *t = calloc(1, sizeof(*t));
	unsigned long size = 1;

	while (size < objects)		/* cds_lfht wants a power of two */
		size <<= 1;
	/*
	 * ACCOUNTING: without it, AUTO_RESIZE grows the buckets whenever an
	 * insert meets a chain of 3, which random keys do at any size: behind
	 * 1,000,000 inserts its worker thread went on growing past 4 GB.
	 * With it, the table grows by its count of objects.
	 */
	if (t)
		t->ht = cds_lfht_new(size, size, 0,
				     CDS_LFHT_AUTO_RESIZE | CDS_LFHT_ACCOUNTING, NULL);
	if (!t || !t->ht) {
		free(t);
		return NULL;
	}
	t->use_rcuref = use_rcuref;
	return t;
}

static inline void item_free(struct item *it)
{
	atomic_fetch_add(&it->table->frees, 1);
	free(it);
}

static inline void item_free_rcu(struct rcu_head *head)
{
	tsan_grace_period();
	item_free(caa_container_of(head, struct item, rcu));
}

/*
 * The count reached 0: unlink, and free once no lookup can see it.  Under
 * table_destroy() only the table's own resize thread may still: the item
 * joins the list that it frees after a single grace period.
 */
static inline void item_unlink(struct item *it)
{
	struct table *t = it->table;

	atomic_store(&it->released, 1);
	rcu_read_lock();
	cds_lfht_del(t->ht, &it->node);
	rcu_read_unlock();
	if (t->destroying) {
		it->next_dead = t->dead;
		t->dead = it;
		return;
	}
	tsan_before_grace_period();
	call_rcu(&it->rcu, item_free_rcu);
}

static inline void item_release(struct kref *ref)
{
	item_unlink(container_of(ref, struct item, ref));
}

/* Drop a reference taken by table_lookup() or table_insert(). */
static inline void item_put(struct item *it)
{
	if (it->table->use_rcuref) {
		if (rcuref_put(&it->rref))
			item_unlink(it);
	} else {
		kref_put(&it->ref, item_release);
	}
}

/* Adds an item for @key holding one reference, the table's. */
static inline struct item *table_insert(struct table *t, unsigned long key)
{
	struct item *it = calloc(1, sizeof(*it));

	if (!it)
		return NULL;
	it->key = key;
	it->value = (long)key * 3;
	it->table = t;
	kref_init(&it->ref);
	rcuref_init(&it->rref, 1);
	cds_lfht_node_init(&it->node);
	tsan_publish(it);
	rcu_read_lock();
	cds_lfht_add(t->ht, table_hash(key), &it->node);
	rcu_read_unlock();
	return it;
}

static inline int table_match(struct cds_lfht_node *node, const void *key)
{
	struct item *it = caa_container_of(node, struct item, node);

	tsan_found(it);
	return it->key == *(const unsigned long *)key;
}

/* Finds @key and takes a reference: NULL if absent or being released. */
static inline struct item *table_lookup(struct table *t, unsigned long key)
{
	struct cds_lfht_iter iter;
	struct cds_lfht_node *node;
	struct item *it = NULL;

	rcu_read_lock();
	cds_lfht_lookup(t->ht, table_hash(key), table_match, &key, &iter);
	node = cds_lfht_iter_get_node(&iter);
	if (node) {
		it = caa_container_of(node, struct item, node);
		if (!(t->use_rcuref ? rcuref_get(&it->rref) :
		      kref_get_unless_zero(&it->ref)))
			it = NULL;	/* found, but already dying */
	}
	tsan_before_grace_period();
	rcu_read_unlock();
	return it;
}

/*
 * table_destroy - drop the table's reference to every item, free the table
 * @t: a table no other thread uses any more, holding the only references
 *
 * The caller guarantees what the header comment says: every other thread's
 * lookups, inserts and puts on @t happened before this call and their
 * references were put.  One grace period covers all the items it releases,
 * since liburcu's resize thread, which these deletes can start, walks the
 * table as a reader.  Items released before the call may still wait for
 * theirs; it waits for them too.
 *
 * Return: how many items were freed over the table's life.
 */
static inline long table_destroy(struct table *t)
{
	struct cds_lfht_iter iter;
	struct cds_lfht_node *node;
	long frees;

	t->destroying = true;
	rcu_read_lock();
	/* By hand: cds_lfht_for_each_entry() applies container_of to NULL. */
	for (cds_lfht_first(t->ht, &iter); (node = cds_lfht_iter_get_node(&iter));
	     cds_lfht_next(t->ht, &iter))
		item_put(caa_container_of(node, struct item, node));
	rcu_read_unlock();
	synchronize_rcu();	/* the resize thread has let go of them all */
	tsan_grace_period();
	while (t->dead) {
		struct item *it = t->dead;

		t->dead = it->next_dead;
		item_free(it);
	}
	rcu_barrier();		/* the call_rcu of earlier releases have run */
	if (cds_lfht_destroy(t->ht, NULL))
		abort();	/* an item was still referenced: caller's bug */
	frees = atomic_load(&t->frees);
	free(t);
	return frees;
}

#endif /* EXAMPLES_RCU_TABLE_H */
