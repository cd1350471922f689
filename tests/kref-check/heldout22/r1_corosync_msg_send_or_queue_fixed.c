/* SPDX-License-Identifier: MIT */
/*
 * Project: corosync/corosync
 * Path:    exec/ipc_glue.c
 * Fix:     af9cfc7b55c5857a49a598eec8b3080f7f882984
 * Bug:     msg_send_or_queue() queued the outq_flush() loop job with the
 *          IPC connection as its argument without taking a reference, so
 *          the connection could be freed before the job ran.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <kref.h>

struct list_head {
	struct list_head *next;
	struct list_head *prev;
};

struct outq_item {
	void *msg;
	size_t mlen;
	struct list_head list;
};

struct cs_ipcs_conn_context {
	struct list_head outq_head;
	int queuing;
	unsigned int queued;
	unsigned int sent;
};

typedef struct qb_ipcs_connection {
	struct kref ref;
	struct cs_ipcs_conn_context context;
} qb_ipcs_connection_t;

enum { QB_LOOP_HIGH = 2 };

/* runs fn(data) once from the main loop; keeps no reference on data */
extern int qb_loop_job_add(void *loop, int prio, void *data,
			   void (*fn)(void *data));
/* returns the main loop handle */
extern void *cs_poll_handle_get(void);
/* sends one event; returns the byte count or -errno */
extern int qb_ipcs_event_send(qb_ipcs_connection_t *c, const void *data,
			      size_t size);
/* sends one event from an iovec; returns the byte count or -errno */
extern int qb_ipcs_event_sendv(qb_ipcs_connection_t *c,
			       const struct iovec *iov, size_t iov_len);

static void list_add_tail(struct list_head *item, struct list_head *head)
{
	item->next = head;
	item->prev = head->prev;
	head->prev->next = item;
	head->prev = item;
}

static void list_del(struct list_head *item)
{
	item->prev->next = item->next;
	item->next->prev = item->prev;
}

static int list_empty(const struct list_head *head)
{
	return head->next == head;
}

static void qb_ipcs_connection_release(struct kref *ref)
{
	free(container_of(ref, qb_ipcs_connection_t, ref));
}

void qb_ipcs_connection_ref(qb_ipcs_connection_t *c)
{
	kref_get(&c->ref);
}

void qb_ipcs_connection_unref(qb_ipcs_connection_t *c)
{
	kref_put(&c->ref, qb_ipcs_connection_release);
}

static void outq_flush(void *data)
{
	qb_ipcs_connection_t *conn = data;
	struct cs_ipcs_conn_context *context = &conn->context;
	struct list_head *list, *list_next;
	struct outq_item *outq_item;
	int rc = 0;

	for (list = context->outq_head.next; list != &context->outq_head;
	     list = list_next) {
		list_next = list->next;
		outq_item = container_of(list, struct outq_item, list);

		rc = qb_ipcs_event_send(conn, outq_item->msg, outq_item->mlen);
		if (rc < 0 && rc != -EAGAIN) {
			qb_ipcs_connection_unref(conn);
			return;
		} else if (rc == -EAGAIN) {
			break;
		}
		context->sent++;
		context->queued--;

		list_del(list);
		free(outq_item->msg);
		free(outq_item);
	}
	if (list_empty(&context->outq_head)) {
		context->queuing = 0;
		context->queued = 0;
		context->sent = 0;
		qb_ipcs_connection_unref(conn);
	} else {
		qb_loop_job_add(cs_poll_handle_get(), QB_LOOP_HIGH, conn, outq_flush);
	}
}

void msg_send_or_queue(qb_ipcs_connection_t *conn, const struct iovec *iov,
		       unsigned int iov_len)
{
	struct cs_ipcs_conn_context *context = &conn->context;
	struct outq_item *outq_item;
	char *write_buf;
	size_t bytes_msg = 0;
	unsigned int i;
	int rc;

	for (i = 0; i < iov_len; i++)
		bytes_msg += iov[i].iov_len;

	if (!context->queuing) {
		rc = qb_ipcs_event_sendv(conn, iov, iov_len);
		if (rc == (int)bytes_msg) {
			context->sent++;
			return;
		}
		if (rc != -EAGAIN)
			return;
		context->queued = 0;
		context->sent = 0;
		context->queuing = 1;
		qb_ipcs_connection_ref(conn);
		qb_loop_job_add(cs_poll_handle_get(), QB_LOOP_HIGH, conn, outq_flush);
	}

	outq_item = malloc(sizeof(*outq_item));
	outq_item->msg = malloc(bytes_msg);
	write_buf = outq_item->msg;
	for (i = 0; i < iov_len; i++) {
		memcpy(write_buf, iov[i].iov_base, iov[i].iov_len);
		write_buf += iov[i].iov_len;
	}
	outq_item->mlen = bytes_msg;
	list_add_tail(&outq_item->list, &context->outq_head);
	context->queued++;
}
