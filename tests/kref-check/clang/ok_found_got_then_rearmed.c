/* SPDX-License-Identifier: MIT */
/* A session found under the lock and got there; after the unlock its
 * timer is armed again (the timer holds the reference taken when the
 * session started) and the session is used, then put.  The get was made
 * under the lookup's lock: nothing here is a use of what a lookup found
 * with no reference (the lock-found twin of ok_found_rcu_got_then_rearmed.c). */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct timer_list { void (*fn)(struct timer_list *t); };
struct tp_session {
	struct kref ref;
	struct tp_session *next;
	struct timer_list timer;
	int id;
	unsigned cwnd;
};

static pthread_mutex_t tp_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tp_session *tp_list;

static void tp_release(struct kref *ref)
{
	free(container_of(ref, struct tp_session, ref));
}

/* Arms the timer (again): the kernel's, declared here.  The session's
 * timer holds the reference taken when the session started, dropped when
 * the timer is stopped. */
extern int mod_timer(struct timer_list *timer, unsigned long expires);

void tp_recv_ack(int id)
{
	struct tp_session *s;

	pthread_mutex_lock(&tp_lock);
	for (s = tp_list; s; s = s->next)
		if (s->id == id) {
			kref_get(&s->ref);
			break;
		}
	pthread_mutex_unlock(&tp_lock);
	if (!s)
		return;
	mod_timer(&s->timer, 200);
	s->cwnd += 1;
	kref_put(&s->ref, tp_release);
}
