/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: sipwise/rtpengine commit
 * cda67ac5ac69b839c4b4d77baf4e413bad9224e6 "TT#14008 fix call iterator race
 * condition", include/call.h (ITERATE_CALL_LIST_START/_NEXT_END) and
 * daemon/call.c (call_destroy(), call_timer()).  Calls are linked on
 * global iterator lists through a GList link embedded in each call; the
 * list holds a reference.  The iterator reads the next link under the
 * current call's iterator lock, unlocks, drops the current call and only
 * then, with the list lock taken again, reads __l->data and takes its
 * reference.  In between, call_destroy() can unlink the next call, zero
 * its link and drop the list's reference, the last: the iterator holds a
 * freed call.  The fix grabs a reference to the next call, and locks it,
 * before releasing the current one (the entry lock split in next_lock and
 * prev_lock).  struct obj's refcount is written with a kref.
 */
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <kref.h>

typedef struct _GList { void *data; struct _GList *next, *prev; } GList;
struct call_iterator_list { GList *first; pthread_mutex_t lock; };
struct call_iterator_entry {
	GList link;		/* .data is protected by the list's main lock */
	pthread_mutex_t lock;	/* held while the link is in use, protects link.prev and link.next */
};

struct call {
	struct kref ref;	/* struct obj */
	struct call_iterator_entry iterator[1];
};

#define CALL_ITERATOR_TIMER 0
static struct call_iterator_list rtpe_call_iterators[1];

/* Per-call timer work (timeouts, stats). */
extern void call_timer_iterator(struct call *c);
/* Unlinks link from the list whose head is *first. */
extern void list_unlink(GList **first, GList *link);

static void call_free(struct kref *ref)
{
	free(container_of(ref, struct call, ref));
}

#define obj_hold(c)	kref_get(&(c)->ref)
#define obj_put(c)	kref_put(&(c)->ref, call_free)

#define ITERATE_CALL_LIST_START(which, varname) \
	do { \
		int __which = (which); \
		pthread_mutex_lock(&rtpe_call_iterators[__which].lock); \
		\
		GList *__l = rtpe_call_iterators[__which].first; \
		while (__l) { \
			struct call *varname = __l->data; \
			obj_hold(varname); \
			pthread_mutex_lock(&varname->iterator[__which].lock); \
			pthread_mutex_unlock(&rtpe_call_iterators[__which].lock)

#define ITERATE_CALL_LIST_NEXT_END(varname) \
			GList *__next = varname->iterator[__which].link.next; \
			pthread_mutex_unlock(&varname->iterator[__which].lock); \
			__l = __next; \
			obj_put(varname); \
			pthread_mutex_lock(&rtpe_call_iterators[__which].lock); \
		} \
		\
		pthread_mutex_unlock(&rtpe_call_iterators[__which].lock); \
	} while (0)

void call_timer(void)
{
	ITERATE_CALL_LIST_START(CALL_ITERATOR_TIMER, c); /* expect: rule 3 */
		call_timer_iterator(c);
	ITERATE_CALL_LIST_NEXT_END(c);
}

void call_destroy(struct call *c)
{
	int i = CALL_ITERATOR_TIMER;
	struct call *prev_call, *next_call;

	pthread_mutex_lock(&rtpe_call_iterators[i].lock);
	/* lock this entry and the adjacent ones (the real code trylocks them and retries) */
	pthread_mutex_lock(&c->iterator[i].lock);
	prev_call = c->iterator[i].link.prev ? c->iterator[i].link.prev->data : NULL;
	next_call = c->iterator[i].link.next ? c->iterator[i].link.next->data : NULL;
	if (prev_call)
		pthread_mutex_lock(&prev_call->iterator[i].lock);
	if (next_call)
		pthread_mutex_lock(&next_call->iterator[i].lock);
	list_unlink(&rtpe_call_iterators[i].first, &c->iterator[i].link);
	memset(&c->iterator[i].link, 0, sizeof(c->iterator[i].link));
	if (prev_call)
		pthread_mutex_unlock(&prev_call->iterator[i].lock);
	if (next_call)
		pthread_mutex_unlock(&next_call->iterator[i].lock);
	pthread_mutex_unlock(&c->iterator[i].lock);
	pthread_mutex_unlock(&rtpe_call_iterators[i].lock);

	obj_put(c);	/* the iterator list's reference */
}
