/* SPDX-License-Identifier: MIT */
/* Correct: the entry is taken off the list under the lock, so the list's
 * reference is now this code's; it is used, then handed to a worker
 * thread, which puts it. */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>
#include <linux/list.h>

#define list_first_entry_or_null(h, type, member) \
	(list_empty(h) ? NULL : list_first_entry(h, type, member))
struct ent { struct kref ref; struct list_head node; int state; };
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static LIST_HEAD(pending);
static void ent_release(struct kref *r) { free(container_of(r, struct ent, ref)); }
void ent_put(struct ent *e) { kref_put(&e->ref, ent_release); }
/* Queues e for the worker thread, which puts the reference it is given. */
void worker_submit(struct ent *e);
void *ent_worker(void *arg)
{
	struct ent *e = arg;
	e->state = 2;
	ent_put(e);
	return NULL;
}
void ent_add(struct ent *e)
{
	pthread_mutex_lock(&lock);
	kref_get(&e->ref);
	list_add_tail(&e->node, &pending);
	pthread_mutex_unlock(&lock);
}
void ent_flush(void)
{
	struct ent *e;
	pthread_mutex_lock(&lock);
	while ((e = list_first_entry_or_null(&pending, struct ent, node))) {
		list_del(&e->node);
		ent_put(e);
	}
	pthread_mutex_unlock(&lock);
}
int ent_run_next(void)
{
	struct ent *e;
	pthread_mutex_lock(&lock);
	e = list_first_entry_or_null(&pending, struct ent, node);
	if (e)
		list_del(&e->node);
	pthread_mutex_unlock(&lock);
	if (!e)
		return 0;
	e->state = 1;
	worker_submit(e);
	return 1;
}
