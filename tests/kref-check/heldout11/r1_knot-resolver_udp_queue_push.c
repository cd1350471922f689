/* SPDX-License-Identifier: MIT */
/*
 * Project: CZ-NIC/knot-resolver
 * Path:    daemon/udp_queue.c
 * Fix:     b98f0c095d921d0aae5263745db92b46b3b5788c
 * Bug:     udp_queue_push() parks the task (and iovecs pointing into its
 *          answer buffer) in the per-socket queue that is flushed later by
 *          a libuv check handle, without taking a task reference, so the
 *          task can be freed before sendmmsg() runs.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <kref.h>

#define UDP_QUEUE_LEN 64

struct kr_request {
	struct sockaddr *qsource_addr;
	unsigned char *answer_wire;
	size_t answer_size;
};

struct qr_task {
	struct kref refs;
	struct kr_request req;
};

/* One queue of up to UDP_QUEUE_LEN replies for the same socket. */
typedef struct {
	int len;
	struct mmsghdr msgvec[UDP_QUEUE_LEN];
	struct {
		struct qr_task *task;
		struct iovec msg_iov[1];
	} items[UDP_QUEUE_LEN];
} udp_queue_t;

static struct {
	udp_queue_t **udp_queues;
	int udp_queues_len;
	int waiting_fds[1024];
	int waiting_len;
} state;

/* Completion of a send: finishes the task's request (no reference change). */
extern void qr_task_on_send(struct qr_task *task, void *handle, int status);
/* Length of a socket address. */
extern socklen_t kr_sockaddr_len(const struct sockaddr *addr);
/* Frees the task's request and answer buffers. */
extern void qr_task_free_request(struct qr_task *task);

static void qr_task_free(struct kref *ref)
{
	struct qr_task *task = container_of(ref, struct qr_task, refs);

	qr_task_free_request(task);
	free(task);
}

void worker_task_ref(struct qr_task *task)
{
	kref_get(&task->refs);
}

void worker_task_unref(struct qr_task *task)
{
	kref_put(&task->refs, qr_task_free);
}

static udp_queue_t *udp_queue_create(void)
{
	udp_queue_t *q = calloc(1, sizeof(*q));

	if (!q)
		abort();
	for (int i = 0; i < UDP_QUEUE_LEN; ++i) {
		q->msgvec[i].msg_hdr.msg_iov = q->items[i].msg_iov;
		q->msgvec[i].msg_hdr.msg_iovlen = 1;
	}
	return q;
}

/* Empties the queue of fd; the queue exists but may be empty. */
static void udp_queue_send(int fd)
{
	udp_queue_t *const q = state.udp_queues[fd];
	int sent_len, err;

	if (!q->len)
		return;
	sent_len = sendmmsg(fd, q->msgvec, q->len, 0);
	err = sent_len < 0 ? -1 : 11;
	for (int i = 0; i < q->len; ++i) {
		qr_task_on_send(q->items[i].task, NULL, i < sent_len ? 0 : err);
	}
	q->len = 0;
}

/* uv_check_t callback: sends everything queued during this loop turn. */
void udp_queue_check(void *handle)
{
	(void)handle;
	for (int i = 0; i < state.waiting_len; ++i)
		udp_queue_send(state.waiting_fds[i]);
	state.waiting_len = 0;
}

void udp_queue_push(int fd, struct kr_request *req, struct qr_task *task)
{
	udp_queue_t *q;

	if (fd < 0 || fd >= 1024)
		abort();
	if (fd >= state.udp_queues_len) {
		const int new_len = fd + 1;

		state.udp_queues = realloc(state.udp_queues,
					   sizeof(state.udp_queues[0]) * new_len);
		if (!state.udp_queues)
			abort();
		memset(state.udp_queues + state.udp_queues_len, 0,
		       sizeof(state.udp_queues[0]) * (new_len - state.udp_queues_len));
		state.udp_queues_len = new_len;
	}
	if (state.udp_queues[fd] == NULL)
		state.udp_queues[fd] = udp_queue_create();
	q = state.udp_queues[fd];

	/* Append to the queue. */
	q->msgvec[q->len].msg_hdr.msg_name = req->qsource_addr;
	q->msgvec[q->len].msg_hdr.msg_namelen = kr_sockaddr_len(req->qsource_addr);
	q->items[q->len].task = task; /* expect: rule 1 */
	q->items[q->len].msg_iov[0] = (struct iovec){
		.iov_base = req->answer_wire,
		.iov_len = req->answer_size,
	};
	if (q->len == 0)
		state.waiting_fds[state.waiting_len++] = fd;
	++(q->len);

	if (q->len >= UDP_QUEUE_LEN)
		udp_queue_send(fd);
}
