/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: circonus-labs/reconnoiter commit
 * 6c9928e648a4b3f1256186e0a22e40484bcc8fbe "CIRC-6926 - Bad Ref Cnt
 * (#722)", src/noit_check.c, noit_check_get_watch() and
 * noit_check_transient_remove_feed().  The watch is looked up in the
 * shared skiplist `watchlist` with no lock and referenced after the find,
 * while another thread can remove it from the list and drop it; fixed
 * with a new watchlist_lock around the find and its ref, and around the
 * removal and the list's deref.  ref_cnt written here with struct kref.
 */
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <kref.h>

typedef unsigned char uuid_t[16];
typedef struct mtev_skiplist mtev_skiplist;
typedef struct noit_check { struct kref ref_cnt; uuid_t checkid; int period; mtev_skiplist *feeds; } noit_check_t;

static mtev_skiplist *watchlist;

void *mtev_skiplist_find(mtev_skiplist *sl, const void *key, void *iter);
int mtev_skiplist_remove(mtev_skiplist *sl, const void *key, void (*free_fn)(void *));
void noit_check_safe_release(noit_check_t *check);

static void noit_check_release(struct kref *ref)
{
	noit_check_safe_release(container_of(ref, noit_check_t, ref_cnt));
}

noit_check_t *noit_check_ref(noit_check_t *check)
{
	if (check)
		kref_get(&check->ref_cnt);
	return check;
}

void noit_check_deref(noit_check_t *check)
{
	if (check)
		kref_put(&check->ref_cnt, noit_check_release);
}

noit_check_t *noit_check_get_watch(uuid_t in, int period)
{
	noit_check_t n, *f;

	memcpy(n.checkid, in, sizeof(uuid_t));
	n.period = period;
	f = mtev_skiplist_find(watchlist, &n, NULL);
	return noit_check_ref(f);	/* expect: rule 3 */
}

void noit_check_transient_remove_feed(noit_check_t *check)
{
	mtev_skiplist_remove(watchlist, check, NULL);	/* expect: rule 3 (the other half) */
	free(check->feeds);
	check->feeds = NULL;
}
