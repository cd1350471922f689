/* SPDX-License-Identifier: MIT */
/* Rule 2 kept: a glib-like library of its own.  The cursor keeps the old
 * entry until the next one is found, then drops it.  The twin of
 * r2_cursor_overwritten_getter.c. */
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <kref.h>

typedef struct Entry { struct kref ref; struct Entry *next; char key[32]; } Entry;
typedef struct Table { pthread_mutex_t lock; Entry *head; } Table;
typedef struct Cache { Table *table; Entry *cur; } Cache;

static void entry_free(struct kref *ref)
{
	free(container_of(ref, Entry, ref));
}

void entry_unref(Entry *e)
{
	kref_put(&e->ref, entry_free);
}

static Entry *table_lookup_after(Table *t, const char *key)
{
	Entry *e;

	pthread_mutex_lock(&t->lock);
	for (e = t->head; e; e = e->next)
		if (strcmp(e->key, key) > 0)
			break;
	if (e)
		kref_get(&e->ref);
	pthread_mutex_unlock(&t->lock);
	return e;
}

int cache_advance(Cache *c)
{
	Entry *old = c->cur;

	if (!old)
		return -1;
	c->cur = table_lookup_after(c->table, old->key);
	entry_unref(old);
	return c->cur ? 0 : -1;
}

void cache_close(Cache *c)
{
	if (c->cur)
		entry_unref(c->cur);
	free(c);
}
