/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: circonus-labs/reconnoiter commit
 * 6c9928e648a4b3f1256186e0a22e40484bcc8fbe "CIRC-6926 - Bad Ref Cnt
 * (#722)" ("Missing reference count increment in noit_check_add_to_list
 * when inserting into the skip list"), src/noit_check.c,
 * noit_check_add_to_list().  The check is inserted into the shared
 * skiplist polls_by_name with no reference of its own (and removed from
 * it without a deref); fixed by inserting noit_check_ref(new_check) and
 * dropping that reference if the insert fails.  ref_cnt written here with
 * struct kref.
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
		if (new_check->name != NULL)
			mtev_skiplist_remove(polls_by_name, new_check, NULL);
		if (newname)
			new_check->name = strdup(newname);
		rv = 0;
		if (!mtev_skiplist_insert(polls_by_name, new_check)) {	/* expect: rule 1 */
			new_check->flags |= NP_DISABLED;
			rv = -1;
		}
		free(oldname);
	}
	pthread_mutex_unlock(&polls_lock);
	return rv;
}
