/* SPDX-License-Identifier: MIT */
/* Rule 3: a program on liburcu's QSBR flavour, whose readers mark no
 * read-side section, but whose release frees the session at once instead
 * of after a grace period: the reader's kref_get_unless_zero may then
 * read the count of freed memory.  The lookup is a reader in name only. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct rcu_head { struct rcu_head *next; void (*func)(struct rcu_head *); };

void urcu_qsbr_register_thread(void);
void urcu_qsbr_unregister_thread(void);
void urcu_qsbr_quiescent_state(void);
void urcu_qsbr_call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *));

typedef struct session {
	struct session *next;
	struct kref refs;
	struct rcu_head rcu;
	unsigned long id;
	unsigned long bytes;
} session_t;

static session_t *sessions;
static pthread_mutex_t sessions_mutex = PTHREAD_MUTEX_INITIALIZER;

static void session_release(struct kref *k)
{
	session_t *s = container_of(k, session_t, refs);
	session_t **pp;

	pthread_mutex_lock(&sessions_mutex);
	for (pp = &sessions; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	pthread_mutex_unlock(&sessions_mutex);
	free(s);
}

static void session_drop(session_t *s)
{
	kref_put(&s->refs, session_release);
}

static session_t *session_find(unsigned long id)
{
	session_t *s;

	for (s = sessions; s; s = s->next)
		if (s->id == id && kref_get_unless_zero(&s->refs))	/* expect: rule 3 */
			return s;
	return NULL;
}

static void *accounting_thread(void *arg)
{
	unsigned long id = (unsigned long)arg;
	int round;

	urcu_qsbr_register_thread();
	for (round = 0; round < 1000; round++) {
		session_t *s = session_find(id);

		if (s) {
			s->bytes += 64;
			session_drop(s);
		}
		urcu_qsbr_quiescent_state();
	}
	urcu_qsbr_unregister_thread();
	return NULL;
}

int start_accounting(unsigned long id, pthread_t *tid)
{
	return pthread_create(tid, NULL, accounting_thread, (void *)id);
}
