/* SPDX-License-Identifier: MIT */
/* Correct: plain C with pthreads.  A session cache finds an entry in its
 * table under the cache's mutex and takes a reference before dropping the
 * mutex; cache_evict() may remove and put the table's reference meanwhile,
 * and the reader's own keeps the entry alive until it puts it. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

struct table;

struct session {
	struct kref refs;
	unsigned long expires;
	char user[64];
};

struct session_cache {
	pthread_mutex_t mu;
	struct table *tbl;
};

/* Returns the table's entry for key (the table keeps its reference), or NULL. */
extern struct session *table_find(struct table *t, const char *key);
/* Unlinks the entry for key; returns it, or NULL. */
extern struct session *table_remove(struct table *t, const char *key);

static void session_release(struct kref *k)
{
	free(container_of(k, struct session, refs));
}

static void session_unref(struct session *s)
{
	kref_put(&s->refs, session_release);
}

void cache_evict(struct session_cache *c, const char *key)
{
	struct session *s;

	pthread_mutex_lock(&c->mu);
	s = table_remove(c->tbl, key);
	if (s)
		session_unref(s);
	pthread_mutex_unlock(&c->mu);
}

int cache_user_of(struct session_cache *c, const char *key, char *out, size_t len)
{
	struct session *s;

	pthread_mutex_lock(&c->mu);
	s = table_find(c->tbl, key);
	if (s)
		kref_get(&s->refs);
	pthread_mutex_unlock(&c->mu);
	if (!s)
		return -1;
	strncpy(out, s->user, len);
	session_unref(s);
	return 0;
}
