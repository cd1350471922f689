/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: freebsd/freebsd-src, review
 * D18906, a fix of an LLE lookup race (after r334118 moved lltable lookups
 * from the afdata read lock to epoch(9) sections),
 * sys/netinet6/in6.c in6_lltable_lookup() and its callers in nd6.c.  The
 * lookup finds the entry under epoch and locks it; the thread expiring the
 * entry holds that lock while it unlinks it and drops the table's
 * reference (the free is deferred with epoch_call()).  The reader, blocked
 * on the entry lock, then takes a reference for its timer on an entry
 * already unlinked and released: use-after-free when the callout fires.
 * The fix checks LLE_LINKED after taking the entry lock and treats an
 * unlinked entry as not found.  Epoch sections written as RCU read
 * sections, lle_refcnt as struct kref.
 */
#include <linux/kref.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

#define LLE_LINKED 0x0040

struct llentry {
	struct kref lle_refcnt;
	spinlock_t lle_lock;
	unsigned int la_flags;
	struct rcu_head lle_epoch_ctx;
};

struct lltable;
struct in6_addr;

/* Returns the entry for dst in the hash, under an epoch section, or NULL. */
extern struct llentry *in6_lltable_find_dst(struct lltable *llt, const struct in6_addr *dst);
/* Removes the entry from the hash; called with the entry locked. */
extern void lltable_unlink_entry(struct lltable *llt, struct llentry *lle);
/* Arms the entry's timer; the callout owns the reference it is given. */
extern void nd6_llinfo_settimer_locked(struct llentry *lle, long tick);

static void llentry_free(struct kref *ref)
{
	struct llentry *lle = container_of(ref, struct llentry, lle_refcnt);

	kfree_rcu(lle, lle_epoch_ctx);
}

/* The expiry path: unlink and drop the table's reference. */
void nd6_free_expired(struct lltable *llt, struct llentry *lle)
{
	spin_lock(&lle->lle_lock);
	lltable_unlink_entry(llt, lle);
	lle->la_flags &= ~LLE_LINKED;
	kref_put(&lle->lle_refcnt, llentry_free);
	spin_unlock(&lle->lle_lock);
}

static struct llentry *in6_lltable_lookup(struct lltable *llt, const struct in6_addr *dst)
{
	struct llentry *lle = in6_lltable_find_dst(llt, dst);

	if (lle == NULL)
		return NULL;
	spin_lock(&lle->lle_lock);
	return lle;
}

void nd6_resolve_slow(struct lltable *llt, const struct in6_addr *dst, long tick)
{
	struct llentry *lle;

	rcu_read_lock();
	lle = in6_lltable_lookup(llt, dst);
	rcu_read_unlock();
	if (lle == NULL)
		return;
	kref_get(&lle->lle_refcnt); /* expect: rule 3 */
	nd6_llinfo_settimer_locked(lle, tick);
	spin_unlock(&lle->lle_lock);
}
