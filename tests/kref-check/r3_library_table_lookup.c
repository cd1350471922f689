/* SPDX-License-Identifier: MIT */
/* Rule 3: a library hash table lookup without the table's lock. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

void *g_hash_table_lookup(void *table, const void *key);

struct sym { struct kref ref; const char *name; };
static void *symtab;
static pthread_mutex_t symtab_lock = PTHREAD_MUTEX_INITIALIZER;

static void sym_release(struct kref *ref)
{
	struct sym *s = container_of(ref, struct sym, ref);
	pthread_mutex_unlock(&symtab_lock);
	free(s);
}

void sym_put(struct sym *s) { kref_put_mutex(&s->ref, sym_release, &symtab_lock); }

struct sym *sym_lookup(const char *name)
{
	struct sym *s = g_hash_table_lookup(symtab, name);
	if (s)
		kref_get(&s->ref);	/* expect: rule 3 */
	return s;
}
