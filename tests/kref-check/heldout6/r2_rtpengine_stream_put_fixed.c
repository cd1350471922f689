/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: sipwise/rtpengine commit
 * 9a3f33a7030473679b8ee73ce86a7860c409e88c "MT#55283 fix stream close
 * race condition" ("Using the stream object after dropping the reference
 * is unsafe"; backported as b4196326c2a0), kernel-module/xt_RTPENGINE.c,
 * stream_put() against del_stream().  A reader closing its proc file drops
 * its reference with stream_put(), which, when the count did not reach
 * zero, then wakes stream->close_wq for a del_stream() waiting for the
 * count to fall to 2.  Between the decrement and the wake-up, del_stream()
 * can see the count at 2 (its wait_event_interruptible() rechecks on any
 * wake-up), drop the last two references and free the stream: the
 * wake_up_interruptible() then touches freed memory.  The fix wakes the
 * waiter before the decrement.  The stream's atomic refcnt is written with
 * a kref.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct wait_queue_head { int dummy; };
/* Wakes the sleepers on wq (they recheck their condition). */
void wake_up_interruptible(struct wait_queue_head *wq);
/* Sleeps until woken on wq; nonzero if interrupted by a signal. */
int wait_on_queue_interruptible(struct wait_queue_head *wq);

#define wait_event_interruptible(wq, cond) \
	({ int __ret = 0; while (!(cond) && !__ret) __ret = wait_on_queue_interruptible(&(wq)); __ret; })

struct re_call;
struct re_stream {
	struct kref refcnt;
	struct re_call *call;
	int eof;
	spinlock_t packet_list_lock;
	struct wait_queue_head read_wq;
	struct wait_queue_head close_wq;
};

void call_put(struct re_call *call);
/* Frees the queued packets of the stream. */
void clear_stream_packets(struct re_stream *stream);
/* Unlinks the stream from the streams hash and the call list, dropping those references. */
void unlink_stream(struct re_stream *stream);

static void stream_free(struct kref *ref)
{
	struct re_stream *stream = container_of(ref, struct re_stream, refcnt);

	clear_stream_packets(stream);
	if (stream->call)
		call_put(stream->call);
	kfree(stream);
}

static void stream_put(struct re_stream *stream)
{
	if (!stream)
		return;

	/* if this is an open file being closed and there's a del_stream()
	 * waiting for us, we need to wake up the sleeping del_stream() */
	wake_up_interruptible(&stream->close_wq);

	kref_put(&stream->refcnt, stream_free);
}

/* The proc file's release: the reader's reference. */
int proc_stream_close(struct re_stream *stream)
{
	stream_put(stream);
	return 0;
}

/* must be called lock-free and with one reference held, which will be released */
void del_stream(struct re_stream *stream)
{
	unsigned long flags;

	spin_lock_irqsave(&stream->packet_list_lock, flags);
	stream->eof = 1;
	spin_unlock_irqrestore(&stream->packet_list_lock, flags);
	wake_up_interruptible(&stream->read_wq);

	unlink_stream(stream);

	/* only ours and the streams array's are left once the open files are closed */
	while (1) {
		if (wait_event_interruptible(stream->close_wq, kref_read(&stream->refcnt) == 2) == 0)
			break;
	}
	stream_put(stream);	/* the streams array's, down to 1 ref */
	stream_put(stream);
}
