/* SPDX-License-Identifier: MIT */
/* Rule 3: a hash table in a global struct, read without its mutex in the
 * fast path. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

struct entry { struct kref ref; char key[32]; struct entry *next; };
struct table { pthread_mutex_t mu; struct entry *buckets[64]; };
static struct table global_table = { PTHREAD_MUTEX_INITIALIZER, { 0 } };

static unsigned h(const char *k) { unsigned x = 5381; while (*k) x = x * 33 + (unsigned char)*k++; return x & 63; }

static void entry_release(struct kref *ref)
{
	struct entry *e = container_of(ref, struct entry, ref), **pp;
	for (pp = &global_table.buckets[h(e->key)]; *pp; pp = &(*pp)->next)
		if (*pp == e) { *pp = e->next; break; }
	pthread_mutex_unlock(&global_table.mu);
	free(e);
}

void entry_put(struct entry *e) { kref_put_mutex(&e->ref, entry_release, &global_table.mu); }

/* Correct: insert with the table's reference, taken before it is visible. */
struct entry *entry_insert(const char *key)
{
	struct entry *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	kref_init(&e->ref);
	strncpy(e->key, key, sizeof(e->key) - 1);
	kref_get(&e->ref);
	pthread_mutex_lock(&global_table.mu);
	e->next = global_table.buckets[h(key)];
	global_table.buckets[h(key)] = e;
	pthread_mutex_unlock(&global_table.mu);
	return e;
}

/* Violation: lookup without the table lock. */
struct entry *entry_lookup_fast(const char *key)
{
	struct entry *e;
	for (e = global_table.buckets[h(key)]; e; e = e->next)
		if (!strcmp(e->key, key)) {
			kref_get(&e->ref);	/* expect: rule 3 */
			return e;
		}
	return NULL;
}

/* Correct. */
struct entry *entry_lookup(const char *key)
{
	struct entry *e;
	pthread_mutex_lock(&global_table.mu);
	for (e = global_table.buckets[h(key)]; e; e = e->next)
		if (!strcmp(e->key, key)) {
			kref_get(&e->ref);
			break;
		}
	pthread_mutex_unlock(&global_table.mu);
	return e;
}
