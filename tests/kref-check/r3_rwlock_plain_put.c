/* SPDX-License-Identifier: MIT */
/* Rule 3: lookups under the read lock take kref_get, and the final put
 * does not take the lock. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct doc { struct kref ref; struct doc *next; int id; };
static struct doc *docs;
static pthread_rwlock_t docs_lock = PTHREAD_RWLOCK_INITIALIZER;

static void doc_release(struct kref *ref)
{
	struct doc *d = container_of(ref, struct doc, ref), **pp;
	pthread_rwlock_wrlock(&docs_lock);
	for (pp = &docs; *pp; pp = &(*pp)->next)
		if (*pp == d) { *pp = d->next; break; }
	pthread_rwlock_unlock(&docs_lock);
	free(d);
}

struct doc *doc_find(int id)
{
	struct doc *d;
	pthread_rwlock_rdlock(&docs_lock);
	for (d = docs; d; d = d->next)
		if (d->id == id) {
			kref_get(&d->ref);	/* expect: rule 3 */
			break;
		}
	pthread_rwlock_unlock(&docs_lock);
	return d;
}

void doc_close(struct doc *d)
{
	kref_put(&d->ref, doc_release);	/* expect: rule 3 */
}
