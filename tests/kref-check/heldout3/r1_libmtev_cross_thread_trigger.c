/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: circonus-labs/libmtev commit
 * ec4cfc4be412fd6aaa51739463c555af4cd19bd5 "fix potential use-after-free
 * in eventer cross-thread triggers", src/eventer/eventer_impl.c,
 * eventer_cross_thread_trigger() and eventer_cross_thread_process().  The
 * trigger first puts the event on the owning thread's cross-thread list,
 * then calls eventer_wakeup(e).  If the owner thread handles the event
 * before the wakeup (and the handler drops the event), eventer_wakeup()
 * examines freed memory.  The fix holds a reference around the whole
 * transaction (eventer_ref() before queueing, eventer_deref() after the
 * wakeup).  eventer_t's refcnt written here with struct kref.
 */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

#define EVENTER_CROSS_THREAD_TRIGGER	0x20

typedef struct _event {
	struct kref refcnt;
	int fd;
	int mask;
	pthread_t thr_owner;
	void *closure;
} *eventer_t;

struct cross_thread_trigger {
	struct cross_thread_trigger *next;
	eventer_t e;
	int mask;
};

struct eventer_impl_data {
	pthread_mutex_t cross_lock;
	struct cross_thread_trigger *cross;
};

/* The per-thread data of the thread owning e (e->thr_owner). */
struct eventer_impl_data *get_event_impl_data(eventer_t e);
/* The calling thread's own per-thread data. */
struct eventer_impl_data *get_my_impl_data(void);
/* Pokes the owner's event loop (reads e->thr_owner and e->fd). */
void eventer_wakeup(eventer_t e);
/* Runs the callback; a callback that returns 0 has the event freed. */
void eventer_trigger(eventer_t e, int mask);

static void eventer_free(struct kref *kref)
{
	free(container_of(kref, struct _event, refcnt));
}

void eventer_ref(eventer_t e)
{
	kref_get(&e->refcnt);
}

void eventer_deref(eventer_t e)
{
	kref_put(&e->refcnt, eventer_free);
}

void eventer_cross_thread_trigger(eventer_t e, int mask)
{
	struct eventer_impl_data *t;
	struct cross_thread_trigger *ctt;

	t = get_event_impl_data(e);
	ctt = malloc(sizeof(*ctt));
	if (!ctt)
		return;
	ctt->e = e;
	ctt->mask = mask | EVENTER_CROSS_THREAD_TRIGGER;
	pthread_mutex_lock(&t->cross_lock);
	ctt->next = t->cross;
	t->cross = ctt;	/* expect: rule 1 */
	pthread_mutex_unlock(&t->cross_lock);
	eventer_wakeup(e);
}

/* Runs on the owner thread, from its event loop. */
void eventer_cross_thread_process(void)
{
	struct eventer_impl_data *t;
	struct cross_thread_trigger *ctt;

	t = get_my_impl_data();
	while (1) {
		pthread_mutex_lock(&t->cross_lock);
		ctt = t->cross;
		if (ctt)
			t->cross = ctt->next;
		pthread_mutex_unlock(&t->cross_lock);
		if (!ctt)
			break;
		eventer_trigger(ctt->e, ctt->mask);
		free(ctt);
	}
}
