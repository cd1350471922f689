/* SPDX-License-Identifier: MIT */
/*
 * Project: gluster/glusterfs
 * Path: xlators/performance/write-behind/src/write-behind.c
 * Fix commit: 63979b6439be06bf3ea45ed1dc6da4151a242f94
 * Bug: wb_fulfill_short_write() drops its reference on the head request
 * after unlocking wb_inode->lock, while the request queues it unlinks itself
 * from on the last put are walked (and their requests referenced) under
 * that lock.
 */
#include <kref.h>
#include <pthread.h>
#include <stdlib.h>

struct list_head {
	struct list_head *next, *prev;
};

static inline void list_del_init(struct list_head *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	e->next = e->prev = e;
}

typedef struct wb_inode {
	pthread_mutex_t lock;		/* protects the queues and the refcounts */
	struct list_head all;
	struct list_head todo;
	struct list_head liability;
	struct list_head wip;
} wb_inode_t;

typedef struct wb_request {
	struct kref refcount;
	wb_inode_t *wb_inode;
	struct list_head all;
	struct list_head todo;
	struct list_head lie;
	struct list_head wip;
	struct list_head winds;
	int write_size;
} wb_request_t;

/* accounts size bytes of a short write against req (and the requests wound with it); lock held */
extern int __wb_fulfill_short_write(wb_request_t *req, int size, int *fulfilled);
/* returns the request after req on head's winds list, borrowed; lock held */
extern wb_request_t *wb_next_wind(wb_request_t *head, wb_request_t *req);
/* queues req (and those after it) to be written again; takes the lock */
extern void wb_add_head_for_retry(wb_request_t *req);

/* Called with wb_inode->lock held: unlinks the request from every queue. */
static void __wb_request_release(struct kref *ref)
{
	wb_request_t *req = container_of(ref, wb_request_t, refcount);

	list_del_init(&req->todo);
	list_del_init(&req->lie);
	list_del_init(&req->wip);
	list_del_init(&req->all);
	list_del_init(&req->winds);
	free(req);
}

/* wb_inode->lock held */
int __wb_request_unref(wb_request_t *req)
{
	return kref_put(&req->refcount, __wb_request_release);
}

/* wb_inode->lock held */
wb_request_t *__wb_request_ref(wb_request_t *req)
{
	kref_get(&req->refcount);
	return req;
}

/* A lookup: takes a reference on a queued request, under wb_inode->lock. */
wb_request_t *wb_pick_first_todo(wb_inode_t *wb_inode)
{
	wb_request_t *req = NULL;

	pthread_mutex_lock(&wb_inode->lock);
	if (wb_inode->todo.next != &wb_inode->todo) {
		req = container_of(wb_inode->todo.next, wb_request_t, todo);
		__wb_request_ref(req);
	}
	pthread_mutex_unlock(&wb_inode->lock);

	return req;
}

void wb_fulfill_short_write(wb_request_t *head, int size)
{
	wb_inode_t *wb_inode;
	wb_request_t *req, *next;
	int accounted_size;
	int fulfilled = 0;

	if (!head)
		return;

	wb_inode = head->wb_inode;
	req = head;

	pthread_mutex_lock(&wb_inode->lock);
	{
		/* keep head alive while walking its winds list */
		__wb_request_ref(head);

		next = wb_next_wind(head, head);
		accounted_size = __wb_fulfill_short_write(head, size, &fulfilled);
		size -= accounted_size;
		if (size == 0) {
			if (fulfilled)
				req = next;
			goto done;
		}

		for (req = next; req; req = next) {
			next = wb_next_wind(head, req);
			accounted_size = __wb_fulfill_short_write(req, size, &fulfilled);
			size -= accounted_size;
			if (size == 0) {
				if (fulfilled)
					req = next;
				break;
			}
		}
	}
done:
	pthread_mutex_unlock(&wb_inode->lock);

	__wb_request_unref(head); /* expect: rule 3 */

	wb_add_head_for_retry(req);
}
