/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r1_noit_check_add_to_list.c (own code):
 * circonus-labs/reconnoiter commit 6c9928e648a4b3f1256186e0a22e40484bcc8fbe,
 * src/noit_check.c.  The list gets its own reference with the insert (put
 * back if the insert fails), and the entry found for removal has the
 * list's reference dropped.
 */
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <kref.h>

#define NP_DISABLED	0x1
#define NP_TRANSIENT	0x2
typedef struct mtev_skiplist mtev_skiplist;
typedef struct noit_check { struct kref ref_cnt; char *name; int flags; } noit_check_t;

static mtev_skiplist *polls_by_name;
static pthread_mutex_t polls_lock = PTHREAD_MUTEX_INITIALIZER;

void *mtev_skiplist_insert(mtev_skiplist *sl, void *data);	/* NULL on a conflict */
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

int noit_check_add_to_list(noit_check_t *new_check, const char *newname)
{
	char *oldname = newname ? new_check->name : NULL;
	int rv = 1;

	pthread_mutex_lock(&polls_lock);
	if (!(new_check->flags & NP_TRANSIENT)) {
		if (new_check->name != NULL) {
			noit_check_t *found = mtev_skiplist_find(polls_by_name, new_check, NULL);

			if (found) {
				noit_check_deref(found);
				mtev_skiplist_remove(polls_by_name, found, NULL);
			}
		}
		if (newname)
			new_check->name = strdup(newname);
		rv = 0;
		if (!mtev_skiplist_insert(polls_by_name, noit_check_ref(new_check))) {
			new_check->flags |= NP_DISABLED;
			rv = -1;
			noit_check_deref(new_check);
		}
		free(oldname);
	}
	pthread_mutex_unlock(&polls_lock);
	return rv;
}
