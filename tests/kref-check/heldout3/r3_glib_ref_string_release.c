/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: GNOME/glib commit
 * 1c78ed95d4652a6147532f54667ef11997bfc150 "refstring: Fix race between
 * releasing and re-acquiring an interned GRefString", glib/grefstring.c,
 * g_ref_string_new_intern() and g_ref_string_release().  The intern
 * lookup finds the string in interned_ref_strings and acquires it while
 * holding the table's lock, but the release decrements without the lock
 * and only takes it in the free callback (remove_if_interned) to unlink:
 * between the final decrement and the unlink, another thread can find the
 * string, acquire it (from zero) and return memory that is then freed.
 * The fix takes the lock before dropping what would be the last
 * reference of an interned string, so the lookup cannot run in between.
 * The garcbox count written here with struct kref.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

typedef struct GHashTable GHashTable;
typedef struct {
	struct kref ref_count;
	int interned;
	size_t len;
	char s[];
} GRefStringImpl;
#define G_REF_STRING_IMPL_FROM_STR(str)	container_of((str), GRefStringImpl, s[0])

static pthread_mutex_t interned_ref_strings_lock = PTHREAD_MUTEX_INITIALIZER;	/* G_LOCK_DEFINE_STATIC */
static GHashTable *interned_ref_strings;

GHashTable *g_hash_table_new_str(void);
char *g_hash_table_lookup(GHashTable *table, const char *key);
void g_hash_table_add(GHashTable *table, char *key);
void g_hash_table_remove(GHashTable *table, const char *key);

char *g_ref_string_new(const char *str)
{
	size_t len = strlen(str);
	GRefStringImpl *impl = malloc(sizeof(*impl) + len + 1);

	if (!impl)
		abort();
	kref_init(&impl->ref_count);
	impl->interned = 0;
	impl->len = len;
	memcpy(impl->s, str, len + 1);
	return impl->s;
}

char *g_ref_string_new_intern(const char *str)
{
	char *res;

	pthread_mutex_lock(&interned_ref_strings_lock);
	if (interned_ref_strings == NULL)
		interned_ref_strings = g_hash_table_new_str();

	res = g_hash_table_lookup(interned_ref_strings, str);
	if (res != NULL) {
		/* We acquire the reference while holding the lock, to
		 * avoid a potential race between releasing the lock on
		 * the hash table and another thread releasing the reference
		 * on the same string */
		kref_get(&G_REF_STRING_IMPL_FROM_STR(res)->ref_count);	/* expect: rule 3 */
		pthread_mutex_unlock(&interned_ref_strings_lock);
		return res;
	}

	res = g_ref_string_new(str);
	G_REF_STRING_IMPL_FROM_STR(res)->interned = 1;
	g_hash_table_add(interned_ref_strings, res);
	pthread_mutex_unlock(&interned_ref_strings_lock);
	return res;
}

/* garcbox's clear function: unlinks an interned string, then it is freed. */
static void remove_if_interned(struct kref *kref)
{
	GRefStringImpl *impl = container_of(kref, GRefStringImpl, ref_count);

	if (impl->interned) {
		pthread_mutex_lock(&interned_ref_strings_lock);
		if (interned_ref_strings != NULL)
			g_hash_table_remove(interned_ref_strings, impl->s);
		pthread_mutex_unlock(&interned_ref_strings_lock);
	}
	free(impl);
}

void g_ref_string_release(char *str)
{
	kref_put(&G_REF_STRING_IMPL_FROM_STR(str)->ref_count, remove_if_interned);	/* expect: rule 3 (the other half) */
}
