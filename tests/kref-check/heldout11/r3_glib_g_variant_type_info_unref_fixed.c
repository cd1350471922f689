/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/glib
 * Path: glib/gvarianttypeinfo.c
 * Fix commit: a3c7406cce2af55aea4ffdf1ceb8b828f5ef3219
 * Bug: g_variant_type_info_unref() drops the container type info's count
 * before taking the table lock to remove it, so g_variant_type_info_get()
 * can find the dying info in the table and take a new reference to it.
 */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

typedef char gchar;
typedef struct _GHashTable GHashTable;
typedef struct _GVariantType GVariantType;

typedef struct {
	struct kref ref_count;
	gchar *type_string;
} ContainerInfo;

typedef ContainerInfo GVariantTypeInfo;

static pthread_mutex_t g_variant_type_info_lock = PTHREAD_MUTEX_INITIALIZER;
static GHashTable *g_variant_type_info_table;	/* type string -> info, no reference */

#define g_static_rec_mutex_lock(m)	pthread_mutex_lock(m)
#define g_static_rec_mutex_unlock(m)	pthread_mutex_unlock(m)

/* string-keyed hash table; lookup returns a borrowed value */
extern GHashTable *g_hash_table_new_for_strings(void);
extern void *g_hash_table_lookup(GHashTable *table, const gchar *key);
extern void g_hash_table_insert(GHashTable *table, gchar *key, void *value);
extern int g_hash_table_remove(GHashTable *table, const gchar *key);
extern unsigned int g_hash_table_size(GHashTable *table);
extern void g_hash_table_unref(GHashTable *table);
/* newly allocated type string of type */
extern gchar *g_variant_type_dup_string(const GVariantType *type);
/* allocates an array or tuple info for type and computes its layout;
 * the count and the type string are left to the caller */
extern ContainerInfo *container_info_new(const GVariantType *type);
/* frees the layout data of an info */
extern void container_info_free(ContainerInfo *container);

static void g_variant_type_info_free(struct kref *ref_count)
{
	ContainerInfo *container = container_of(ref_count, ContainerInfo, ref_count);

	/* called with g_variant_type_info_lock held */
	g_hash_table_remove(g_variant_type_info_table, container->type_string);
	if (g_hash_table_size(g_variant_type_info_table) == 0) {
		g_hash_table_unref(g_variant_type_info_table);
		g_variant_type_info_table = NULL;
	}
	g_static_rec_mutex_unlock(&g_variant_type_info_lock);

	free(container->type_string);
	container_info_free(container);
}

GVariantTypeInfo *g_variant_type_info_ref(GVariantTypeInfo *info)
{
	kref_get(&info->ref_count);
	return info;
}

/* container types only (maybe, array, tuple, dict entry) */
GVariantTypeInfo *g_variant_type_info_get(const GVariantType *type)
{
	GVariantTypeInfo *info;
	gchar *type_string;

	type_string = g_variant_type_dup_string(type);

	g_static_rec_mutex_lock(&g_variant_type_info_lock);

	if (g_variant_type_info_table == NULL)
		g_variant_type_info_table = g_hash_table_new_for_strings();
	info = g_hash_table_lookup(g_variant_type_info_table, type_string);

	if (info == NULL) {
		ContainerInfo *container = container_info_new(type);

		info = container;
		container->type_string = type_string;
		kref_init(&container->ref_count);

		g_hash_table_insert(g_variant_type_info_table, type_string, info);
		type_string = NULL;
	} else
		g_variant_type_info_ref(info);

	g_static_rec_mutex_unlock(&g_variant_type_info_lock);
	free(type_string);

	return info;
}

void g_variant_type_info_unref(GVariantTypeInfo *info)
{
	ContainerInfo *container = info;

	/* the final decrement and the removal from the table happen under
	 * the table lock */
	kref_put_mutex(&container->ref_count, g_variant_type_info_free,
		       &g_variant_type_info_lock);
}
