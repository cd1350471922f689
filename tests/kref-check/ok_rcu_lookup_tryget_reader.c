/* SPDX-License-Identifier: MIT */
/* Correct: a user-space library (liburcu through the compat headers, a
 * pthread writer) keeps its current configuration behind an RCU pointer.
 * cfg_store_current() returns what rcu_dereference() read, without a
 * reference; cfg_store_pin() takes one inside the read section with
 * kref_get_unless_zero(), and returns NULL when the count already
 * reached 0. */
#include <stdlib.h>
#include <pthread.h>
#include <linux/kref.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

typedef struct cfg {
	struct kref refs;
	struct rcu_head rcu;
	char *text;
} cfg_t;

typedef struct cfg_store {
	pthread_mutex_t write_lock;
	cfg_t *current;
} cfg_store_t;

static void cfg_destroy(struct kref *k)
{
	cfg_t *c = container_of(k, cfg_t, refs);

	kfree_rcu(c, rcu);
}

void cfg_unpin(cfg_t *c)
{
	kref_put(&c->refs, cfg_destroy);
}

void cfg_store_replace(cfg_store_t *s, cfg_t *c)
{
	cfg_t *old;

	pthread_mutex_lock(&s->write_lock);
	old = s->current;
	rcu_assign_pointer(s->current, c);
	pthread_mutex_unlock(&s->write_lock);
	if (old)
		cfg_unpin(old);
}

cfg_t *cfg_store_current(cfg_store_t *s)
{
	cfg_t *c = rcu_dereference(s->current);

	return c;
}

cfg_t *cfg_store_pin(cfg_store_t *s)
{
	cfg_t *c;

	rcu_read_lock();
	c = cfg_store_current(s);
	if (c && !kref_get_unless_zero(&c->refs))
		c = NULL;
	rcu_read_unlock();
	return c;
}
