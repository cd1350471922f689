/* SPDX-License-Identifier: MIT */
/*
 * Project: NetworkManager/NetworkManager
 * Path:    shared/nm-glib-aux/nm-ref-string.c
 * Fix:     3490a09a7d966d11b971d08a2bb802f76f6d5e58
 * Bug:     _nm_ref_string_unref_non_null() drops the count to zero without
 *          holding gl_lock and only then takes the lock to unhash the string,
 *          so nm_ref_string_new_len() can find the dying string in gl_hash
 *          and take a reference on it in between.
 */
#include <kref.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef struct _NMRefString {
	const char *str;
	size_t len;
} NMRefString;

typedef struct {
	NMRefString r;
	struct kref ref_count;
	char str_data[];
} RefString;

static pthread_mutex_t gl_lock = PTHREAD_MUTEX_INITIALIZER;

/* under gl_lock: the interned string equal to @cstr/@len, borrowed */
extern RefString *gl_hash_lookup(const char *cstr, size_t len);
/* under gl_lock: add @rstr0 to gl_hash (the table holds no reference) */
extern void gl_hash_add(RefString *rstr0);
/* under gl_lock: remove @rstr0 from gl_hash */
extern void gl_hash_remove(RefString *rstr0);

NMRefString *nm_ref_string_new_len(const char *cstr, size_t len)
{
	RefString *rstr0;

	pthread_mutex_lock(&gl_lock);

	rstr0 = gl_hash_lookup(cstr, len);
	if (rstr0) {
		kref_get(&rstr0->ref_count);
	} else {
		rstr0 = malloc(sizeof(RefString) + 1 + len);
		if (!rstr0) {
			pthread_mutex_unlock(&gl_lock);
			return NULL;
		}
		kref_init(&rstr0->ref_count);
		rstr0->r.len = len;
		rstr0->r.str = rstr0->str_data;
		if (len > 0)
			memcpy(rstr0->str_data, cstr, len);
		rstr0->str_data[len] = '\0';
		gl_hash_add(rstr0);
	}

	pthread_mutex_unlock(&gl_lock);

	return &rstr0->r;
}

NMRefString *nm_ref_string_ref(NMRefString *rstr)
{
	RefString *const rstr0 = (RefString *)rstr;

	if (!rstr)
		return NULL;
	kref_get(&rstr0->ref_count);
	return &rstr0->r;
}

static void _ref_string_release(struct kref *kref)
{
	RefString *rstr0 = container_of(kref, RefString, ref_count);

	pthread_mutex_lock(&gl_lock);
	/* in the fast-path we already decremented the ref-count to zero;
	 * recheck that it is still zero. */
	if (kref_read(&rstr0->ref_count) == 0) {
		gl_hash_remove(rstr0);
		free(rstr0);
	}
	pthread_mutex_unlock(&gl_lock);
}

void _nm_ref_string_unref_non_null(NMRefString *rstr)
{
	RefString *const rstr0 = (RefString *)rstr;

	kref_put(&rstr0->ref_count, _ref_string_release); /* expect: rule 3 */
}
