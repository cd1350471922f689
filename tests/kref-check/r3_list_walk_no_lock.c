/* SPDX-License-Identifier: MIT */
/* Rule 3: the stats thread walks the timer list and takes references with
 * no lock at all, while timers are removed and put under timers_lock. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <kref.h>

struct timer {
	struct kref ref;
	struct timer *next;
	long expires;
};

static struct timer *timer_list;
static pthread_mutex_t timers_lock = PTHREAD_MUTEX_INITIALIZER;

static void timer_release(struct kref *ref)
{
	struct timer *t = container_of(ref, struct timer, ref), **pp;

	for (pp = &timer_list; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	pthread_mutex_unlock(&timers_lock);
	free(t);
}

static void timer_put(struct timer *t)
{
	kref_put_mutex(&t->ref, timer_release, &timers_lock);
}

void dump_next_timer(long now)
{
	struct timer *t;

	for (t = timer_list; t; t = t->next) {
		if (t->expires > now) {
			kref_get(&t->ref);	/* expect: rule 3 */
			printf("next: %ld\n", t->expires);
			timer_put(t);
			return;
		}
	}
}
