/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r3_noit_check_get_watch.c (own code):
 * circonus-labs/reconnoiter commit 6c9928e648a4b3f1256186e0a22e40484bcc8fbe,
 * src/noit_check.c.  watchlist_lock is held around the find and its ref,
 * and around the removal, which now drops the list's reference when the
 * check was on the list.
 */
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <kref.h>

typedef unsigned char uuid_t[16];
typedef struct mtev_skiplist mtev_skiplist;
typedef struct noit_check { struct kref ref_cnt; uuid_t checkid; int period; mtev_skiplist *feeds; } noit_check_t;

static mtev_skiplist *watchlist;
static pthread_mutex_t watchlist_lock = PTHREAD_MUTEX_INITIALIZER;

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
	pthread_mutex_lock(&watchlist_lock);
	f = mtev_skiplist_find(watchlist, &n, NULL);
	noit_check_ref(f);
	pthread_mutex_unlock(&watchlist_lock);
	return f;
}

void noit_check_transient_remove_feed(noit_check_t *check)
{
	pthread_mutex_lock(&watchlist_lock);
	if (mtev_skiplist_remove(watchlist, check, NULL))
		noit_check_deref(check);
	pthread_mutex_unlock(&watchlist_lock);
	free(check->feeds);
	check->feeds = NULL;
}
