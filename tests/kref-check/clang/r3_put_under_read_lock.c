/* SPDX-License-Identifier: MIT */
/* Rule 3: lookups get under the cache's lock taken for reading, and the
 * put that can be the last one, whose release takes the entry out of the
 * cache, holds that lock for reading too: readers do not exclude each
 * other, so a lookup can find the entry while its count drops to zero. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct entry { struct kref ref; long key; struct entry *next; };
struct cache { pthread_rwlock_t lock; struct entry *head; };

static struct cache cache = { PTHREAD_RWLOCK_INITIALIZER, NULL };

/* Called with cache.lock held. */
static void entry_release(struct kref *ref)
{
	struct entry *e = container_of(ref, struct entry, ref);
	struct entry **pp;

	for (pp = &cache.head; *pp; pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	free(e);
}

struct entry *cache_get(long key)
{
	struct entry *e;

	pthread_rwlock_rdlock(&cache.lock);
	for (e = cache.head; e; e = e->next)
		if (e->key == key) {
			kref_get(&e->ref);	/* expect: rule 3 */
			break;
		}
	pthread_rwlock_unlock(&cache.lock);
	return e;
}

void cache_put(struct entry *e)
{
	pthread_rwlock_rdlock(&cache.lock);
	kref_put(&e->ref, entry_release);	/* expect: rule 3 */
	pthread_rwlock_unlock(&cache.lock);
}
