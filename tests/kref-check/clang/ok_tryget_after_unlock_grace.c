/* SPDX-License-Identifier: MIT */
/* Correct: the release unlinks under the lock and frees after an RCU
 * grace period, so the memory of an entry found under the lock outlives
 * the lock for a reader RCU does not mark (QSBR): kref_get_unless_zero
 * after the unlock reads a live count and refuses a dying entry. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct rcu_head { struct rcu_head *next; void (*func)(struct rcu_head *); };
void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *));

struct shm { struct kref ref; unsigned long cookie; struct shm *next; struct rcu_head rcu; };

static pthread_mutex_t shm_lock = PTHREAD_MUTEX_INITIALIZER;
static struct shm *shm_list;

static void shm_free_rcu(struct rcu_head *head)
{
	free(container_of(head, struct shm, rcu));
}

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
	call_rcu(&s->rcu, shm_free_rcu);
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
	if (s && !kref_get_unless_zero(&s->ref))
		s = NULL;
	return s;
}
