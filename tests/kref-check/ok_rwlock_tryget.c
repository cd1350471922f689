/* SPDX-License-Identifier: MIT */
/* Correct: lookups under the read lock use kref_get_unless_zero; the
 * release function unlinks under the write lock before freeing. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct mapping {
	struct kref ref;
	struct mapping *next;
	unsigned long start, len;
};

static struct mapping *mappings;
static pthread_rwlock_t mappings_lock = PTHREAD_RWLOCK_INITIALIZER;

static void mapping_release(struct kref *ref)
{
	struct mapping *m = container_of(ref, struct mapping, ref), **pp;

	pthread_rwlock_wrlock(&mappings_lock);
	for (pp = &mappings; *pp; pp = &(*pp)->next)
		if (*pp == m) {
			*pp = m->next;
			break;
		}
	pthread_rwlock_unlock(&mappings_lock);
	free(m);
}

struct mapping *mapping_find(unsigned long addr)
{
	struct mapping *m;

	pthread_rwlock_rdlock(&mappings_lock);
	for (m = mappings; m; m = m->next) {
		if (addr >= m->start && addr - m->start < m->len) {
			if (!kref_get_unless_zero(&m->ref))
				m = NULL;
			break;
		}
	}
	pthread_rwlock_unlock(&mappings_lock);
	return m;
}

void mapping_put(struct mapping *m)
{
	kref_put(&m->ref, mapping_release);
}
