/* SPDX-License-Identifier: MIT */
/* Rule 3: kref_get_unless_zero refuses a zero count, but after the lock
 * the entry was found under is dropped, its release may already have
 * unlinked and freed it: the count is read from freed memory. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct shm { struct kref ref; unsigned long cookie; struct shm *next; };

static pthread_mutex_t shm_lock = PTHREAD_MUTEX_INITIALIZER;
static struct shm *shm_list;

static void shm_release(struct kref *ref)
{
	struct shm *s = container_of(ref, struct shm, ref), **pp;

	pthread_mutex_lock(&shm_lock);
	for (pp = &shm_list; *pp; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	pthread_mutex_unlock(&shm_lock);
	free(s);
}

void shm_put(struct shm *s)
{
	kref_put(&s->ref, shm_release);
}

struct shm *shm_get_by_cookie(unsigned long cookie)
{
	struct shm *s;

	pthread_mutex_lock(&shm_lock);
	for (s = shm_list; s; s = s->next)
		if (s->cookie == cookie)
			break;
	pthread_mutex_unlock(&shm_lock);
	if (s && !kref_get_unless_zero(&s->ref))	/* expect: rule 3 */
		s = NULL;
	return s;
}
