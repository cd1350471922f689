/* SPDX-License-Identifier: MIT */
/* Rule 3: user space with liburcu (through the compat headers) and a
 * pthread remover.  stream_acquire() looks the stream up in a lock-free
 * table inside an RCU read section, leaves the section, and then takes a
 * reference.  Once the section has ended nothing keeps the stream alive:
 * stream_close() may have removed it and dropped the last reference, its
 * free waiting only for the readers that were inside a section then.  Take
 * the reference inside the section, with kref_get_unless_zero(). */
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
	rcu_read_unlock();
	if (s)
		kref_get(&s->refs);	/* expect: rule 3 */
	return s;
}
