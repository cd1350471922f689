/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: varnishcache/varnish-cache
 * commit fd4a9271f887e1568ba333b20699d65af9ebc07a "Add extra locking to
 * protect the pools list and refcounts",
 * bin/varnishd/cache/cache_backend_tcp.c, VBT_Ref() and VBT_Rel().  The
 * TCP pools list was only touched from the CLI thread, so VBT_Ref() found
 * a pool and bumped its refcnt, and VBT_Rel() dropped it and unlinked the
 * pool, with no lock; a probe still running on a worker thread when its
 * backend is deleted releases its pool reference late, from that worker,
 * concurrently with lookups.  The fix adds pools_mtx around both.  The
 * pool's refcnt written with struct kref.
 */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

struct suckaddr;
struct tcp_pool {
	struct kref refcnt;
	struct tcp_pool *next, **prevp;
	struct suckaddr *ip4, *ip6;
	int n_used;
};

static struct tcp_pool *pools;

/* Returns 0 when the two addresses are equal. */
extern int VSA_Compare(const struct suckaddr *a, const struct suckaddr *b);
extern struct suckaddr *VSA_Clone(const struct suckaddr *a);
/* Shuts down the pool's idle connections and waits for the killed ones. */
extern void vbt_kill_connections(struct tcp_pool *tp);

static int vbt_match(const struct suckaddr *a, const struct suckaddr *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return !VSA_Compare(a, b);
}

static void vbt_pool_free(struct kref *ref)
{
	struct tcp_pool *tp = container_of(ref, struct tcp_pool, refcnt);

	if (tp->next)
		tp->next->prevp = tp->prevp;
	*tp->prevp = tp->next;
	vbt_kill_connections(tp);
	free(tp);
}

struct tcp_pool *VBT_Ref(const struct suckaddr *ip4, const struct suckaddr *ip6)
{
	struct tcp_pool *tp;

	for (tp = pools; tp != NULL; tp = tp->next) {
		if (!vbt_match(ip4, tp->ip4) || !vbt_match(ip6, tp->ip6))
			continue;
		kref_get(&tp->refcnt); /* expect: rule 3 */
		return tp;
	}

	tp = calloc(1, sizeof(*tp));
	if (tp == NULL)
		return NULL;
	tp->ip4 = ip4 ? VSA_Clone(ip4) : NULL;
	tp->ip6 = ip6 ? VSA_Clone(ip6) : NULL;
	kref_init(&tp->refcnt);
	tp->next = pools;
	if (pools)
		pools->prevp = &tp->next;
	tp->prevp = &pools;
	pools = tp;
	return tp;
}

/* Called from the CLI thread, and from a worker running a deleted backend's probe. */
void VBT_Rel(struct tcp_pool **tpp)
{
	struct tcp_pool *tp = *tpp;

	*tpp = NULL;
	kref_put(&tp->refcnt, vbt_pool_free); /* expect: rule 3 */
}
