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
 * @kref: the object's struct kref
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
 * @kref: the object's struct kref
 *
 * Ordering: none (a relaxed load).
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
 * @kref: the object's struct kref
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
 * @kref: the object's struct kref
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
 * @kref: the object's struct kref
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

/*
 * A program's own get and put helpers can pass their caller's site on, so
 * that debug mode's reports name the line that called the helper rather
 * than the helper's own (kref/debug.h; call chains name it too, but only
 * where the program keeps frame pointers):
 *
 *	#define obj_put(o)	obj_put_at((o), KREF_CALLER)
 *	static int obj_put_at(struct obj *o, const struct kref_site *site)
 *	{
 *		return kref_put_at(&o->ref, obj_release, site);
 *	}
 *
 * Without KREF_DEBUG, KREF_CALLER is a null pointer that nothing reads and
 * each kref_*_at() is its kref_*().
 */
struct kref_site;
#ifndef KREF_DEBUG
#define KREF_CALLER			((const struct kref_site *)0)
#define kref_init_at(k, site)		((void)(site), kref_init(k))
#define kref_get_at(k, site)		((void)(site), kref_get(k))
#define kref_get_unless_zero_at(k, site) ((void)(site), kref_get_unless_zero(k))
#define kref_put_at(k, release, site)	((void)(site), kref_put((k), (release)))
#define kref_put_mutex_at(k, release, m, site) \
	((void)(site), kref_put_mutex((k), (release), (m)))
#define kref_put_lock_at(k, release, l, site) \
	((void)(site), kref_put_lock((k), (release), (l)))
#endif

KREF_END_DECLS

#endif /* KREF_KREF_H */
