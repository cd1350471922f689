/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: PipeWire/pipewire commit
 * 22c45af7e05bcd958817c1afcb305db968a9f307 "loop: refcount the queues"
 * (see #4356), spa/plugins/support/loop.c, flush_all_queues() and
 * loop_queue_destroy().  flush_all_queues() picks the queue with the oldest
 * invoke item from impl->queue_list under queue_lock, drops the lock to call
 * the item's function, then relocks and updates that queue.  The queue
 * belongs to another thread, which can destroy it (unlink under queue_lock,
 * free) during the callback.  The fix takes a reference under the lock
 * before the callback and drops it after relocking; if that was the last,
 * the flush ignores the result and goes on.  The queue's `ref` written with
 * a kref; its ring buffer is reduced to a read index.
 */
#include <stdlib.h>
#include <stdbool.h>
#include <stdint.h>
#include <pthread.h>
#include <kref.h>

struct spa_list { struct spa_list *next, *prev; };

#define spa_list_for_each(pos, head, member)					\
	for (pos = container_of((head)->next, __typeof__(*pos), member);	\
	     &pos->member != (head);						\
	     pos = container_of(pos->member.next, __typeof__(*pos), member))

struct invoke_item { size_t item_size; int (*func)(void *data); void *data; int res; };

struct impl { pthread_mutex_t queue_lock; struct spa_list queue_list; uint32_t flush_count; };

struct queue {
	struct kref ref;
	struct impl *impl;
	struct spa_list link;
	uint32_t read_index;
};

/* The queue's oldest unread item, or NULL if its ring buffer is empty. */
extern struct invoke_item *queue_peek_item(struct queue *queue);
/* Negative if item a was queued before item b. */
extern int item_compare(struct invoke_item *a, struct invoke_item *b);
extern void spa_list_remove(struct spa_list *elem);

static void loop_queue_free(struct kref *ref)
{
	free(container_of(ref, struct queue, ref));
}

/* Called by the thread that owns the queue. */
void loop_queue_destroy(struct queue *queue)
{
	struct impl *impl = queue->impl;

	pthread_mutex_lock(&impl->queue_lock);
	spa_list_remove(&queue->link);
	pthread_mutex_unlock(&impl->queue_lock);

	kref_put(&queue->ref, loop_queue_free);
}

void flush_all_queues(struct impl *impl)
{
	uint32_t flush_count;

	pthread_mutex_lock(&impl->queue_lock);
	flush_count = ++impl->flush_count;
	while (true) {
		struct queue *cqueue, *queue = NULL;
		struct invoke_item *citem, *item = NULL;
		int (*func)(void *data);

		spa_list_for_each(cqueue, &impl->queue_list, link) {
			citem = queue_peek_item(cqueue);
			if (citem && (item == NULL || item_compare(citem, item) < 0)) {
				item = citem;
				queue = cqueue;
			}
		}
		if (item == NULL)
			break;

		/* so that recursive calls don't call it again */
		func = item->func;
		item->func = NULL;
		if (func) {
			pthread_mutex_unlock(&impl->queue_lock); /* expect: rule 3 */
			item->res = func(item->data);
			pthread_mutex_lock(&impl->queue_lock);
		}

		/* a recursive invoke flushed the ring buffer already */
		if (flush_count != impl->flush_count)
			break;

		queue->read_index += item->item_size;
	}
	pthread_mutex_unlock(&impl->queue_lock);
}
