/* SPDX-License-Identifier: MIT */
/*
 * mailbox.h - a bounded queue of pointers under a mutex, one per stress
 * worker: the handoff the stress tests put references through.  Define
 * MAILBOX (its capacity) before including.
 */
#ifndef TESTS_MAILBOX_H
#define TESTS_MAILBOX_H

#include <pthread.h>
#include <stdbool.h>

#ifndef MAILBOX
#error "define MAILBOX, the capacity, before including mailbox.h"
#endif

struct mailbox {
	pthread_mutex_t lock;
	unsigned int head, tail;
	void *slot[MAILBOX];
};

/* False when full: the caller still owns what it tried to hand over. */
static inline bool mailbox_push(struct mailbox *m, void *p)
{
	bool pushed = false;

	pthread_mutex_lock(&m->lock);
	if (m->tail - m->head < MAILBOX) {
		m->slot[m->tail++ % MAILBOX] = p;
		pushed = true;
	}
	pthread_mutex_unlock(&m->lock);
	return pushed;
}

/* NULL when empty. */
static inline void *mailbox_pop(struct mailbox *m)
{
	void *p = NULL;

	pthread_mutex_lock(&m->lock);
	if (m->head != m->tail)
		p = m->slot[m->head++ % MAILBOX];
	pthread_mutex_unlock(&m->lock);
	return p;
}

#endif
