/* SPDX-License-Identifier: MIT */
/* Rule 3: plain C with pthreads.  A session cache finds an entry in its
 * table under the cache's mutex, drops the mutex and then reads the
 * entry's fields.  cache_evict() removes entries from the same table under
 * that mutex and drops their reference, so after the unlock the entry may
 * be freed while it is read.  Take a reference under the mutex and put it
 * after the read. */
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
	pthread_mutex_unlock(&c->mu);
	if (!s)
		return -1;
	strncpy(out, s->user, len);	/* expect: rule 3 */
	return 0;
}
