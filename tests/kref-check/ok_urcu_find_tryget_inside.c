/* SPDX-License-Identifier: MIT */
/* Correct: user space with liburcu (through the compat headers) and a
 * pthread remover.  stream_acquire() looks the stream up in a lock-free
 * table inside an RCU read section and takes its reference there, with
 * kref_get_unless_zero(): a stream whose count already reached 0 is not
 * found, and one it counts stays alive after the section ends. */
#include <pthread.h>
#include <stdlib.h>
#include <linux/kref.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

struct stream_table;

typedef struct stream {
	struct kref refs;
	struct rcu_head rcu;
	unsigned long sid;
} stream_t;

/* Lock-free lookup, for readers inside an RCU read section. */
extern stream_t *stream_table_lookup(struct stream_table *t, unsigned long sid);
/* Unlinks the stream; returns nonzero if it was there. */
extern int stream_table_unlink(struct stream_table *t, stream_t *s);

static pthread_mutex_t streams_mutex = PTHREAD_MUTEX_INITIALIZER;

static void stream_free(struct kref *k)
{
	stream_t *s = container_of(k, stream_t, refs);

	kfree_rcu(s, rcu);
}

void stream_release(stream_t *s)
{
	kref_put(&s->refs, stream_free);
}

void stream_close(struct stream_table *t, stream_t *s)
{
	pthread_mutex_lock(&streams_mutex);
	if (stream_table_unlink(t, s))
		stream_release(s);
	pthread_mutex_unlock(&streams_mutex);
}

stream_t *stream_acquire(struct stream_table *t, unsigned long sid)
{
	stream_t *s;

	rcu_read_lock();
	s = stream_table_lookup(t, sid);
	if (s && !kref_get_unless_zero(&s->refs))
		s = NULL;
	rcu_read_unlock();
	return s;
}
