/* SPDX-License-Identifier: MIT */
/*
 * kref/kref.h - struct kref: a reference count embedded in an object, with a
 * release function called exactly once, when the last reference is put.
 *
 * The rules:
 *  1. Take a reference (kref_get) before you hand a pointer to someone who
 *     keeps it: another thread, a queue, a table.
 *  2. Put your reference (kref_put) when you are done; free the object only
 *     in the release function.
 *  3. If you hold no reference yet, serialise the lookup and the get against
 *     the final put: a lock held across both (with kref_put_mutex or
 *     kref_put_lock on the other side), or RCU with kref_get_unless_zero.
 *
 * Freestanding: see kref/refcount.h.
 */
#ifndef KREF_KREF_H
#define KREF_KREF_H

#include <kref/container_of.h>
#include <kref/refcount.h>

KREF_BEGIN_DECLS

/**
 * struct kref - a reference count to embed in an object
 * @refcount: the count; 4 bytes, no release pointer stored.
 */
struct kref {
	refcount_t refcount;
};

#define KREF_INIT(n)	{ REFCOUNT_INIT(n) }

/**
 * kref_init - initialise an object's reference count to 1
 *
 * Call it before the object is visible to any other thread.  Relaxed: the
 * publication of the object orders it.
 */
static inline void kref_init(struct kref *kref)
{
	refcount_set(&kref->refcount, 1);
}

/**
 * kref_read - the current count
 *
 * Return: the count (racy unless nobody else can change it); for
 * diagnostics and assertions, never to decide whether to free.
 */
static inline unsigned int kref_read(const struct kref *kref)
{
	return refcount_read(&kref->refcount);
}

/**
 * kref_get - take a reference
 *
 * The caller must already hold a reference.  Relaxed; a get on a count of
 * 0 is reported as REFCOUNT_ADD_UAF and saturates.
 */
static inline void kref_get(struct kref *kref)
{
	refcount_inc(&kref->refcount);
}

/**
 * kref_put - drop a reference; release the object on the last one
 * @release: called exactly once, with @kref, by the put that drops the
 *	count to 0.  It frees the object (use container_of).
 *
 * Ordering: release, and acquire before @release runs, so @release sees
 * everything every holder did.
 *
 * Return: 1 if @release was called, 0 otherwise.  Even 0 does not mean
 * the object is still alive: after your put, another thread may free it.
 */
static inline int kref_put(struct kref *kref, void (*release)(struct kref *kref))
{
	if (refcount_dec_and_test(&kref->refcount)) {
		release(kref);
		return 1;
	}
	return 0;
}

/**
 * kref_get_unless_zero - take a reference unless the count is already 0
 *
 * For lookups that hold no reference yet (Rule 3): the caller must keep
 * the memory valid, by a lock that the final put also takes or by an RCU
 * read section with the release deferred by call_rcu.  Ordering: none
 * (see refcount_inc_not_zero).
 *
 * Return: nonzero if a reference was taken; 0 if the object is being
 * released and must not be used.
 */
static inline KREF_MUST_CHECK int kref_get_unless_zero(struct kref *kref)
{
	return refcount_inc_not_zero(&kref->refcount);
}

KREF_END_DECLS

#endif /* KREF_KREF_H */
