/* SPDX-License-Identifier: MIT */
/*
 * Project: ibus/ibus
 * Path: src/ibusserializable.c
 * Fix: c013bbe9ac06c3418ca4d55c0302bcfb13d2977c
 * Bug: ibus_serializable_real_deserialize() unrefs each value that
 * g_variant_iter_loop() hands out, although the iterator owns that
 * reference and drops it itself on the next step (double unref).
 */
#include <kref.h>
#include <stddef.h>
#include <stdlib.h>

typedef struct _GVariant GVariant;
struct _GVariant {
	struct kref ref;
	GVariant *child;	/* the boxed value of a "v" */
};

/* one {sv} entry of the a{sv} dictionary; both borrowed from it */
struct dict_entry {
	const char *key;
	GVariant *value;
};

typedef struct _GVariantIter {
	struct dict_entry *entries;
	size_t n, pos;
	GVariant *last;		/* value of the previous step, owned */
} GVariantIter;

typedef struct _IBusSerializable IBusSerializable;

/* frees the value and drops its child (the GVariant's last unref) */
extern void g_variant_free(GVariant *value);
/* stores in *iter a new iterator over the a{sv} dictionary at index */
extern void g_variant_get_child(GVariant *variant, size_t index,
				GVariantIter **iter);
/* stores the attachment under key, taking its own reference */
extern void ibus_serializable_set_attachment(IBusSerializable *object,
					     const char *key,
					     GVariant *attachment);

static void g_variant_release(struct kref *ref)
{
	g_variant_free(container_of(ref, GVariant, ref));
}

GVariant *g_variant_ref(GVariant *value)
{
	kref_get(&value->ref);
	return value;
}

void g_variant_unref(GVariant *value)
{
	kref_put(&value->ref, g_variant_release);
}

/* a new reference to the value boxed in a "v" */
GVariant *g_variant_get_variant(GVariant *value)
{
	return g_variant_ref(value->child);
}

/*
 * Steps the iterator: drops the value it handed out on the previous step,
 * then hands out the next entry's value, keeping the reference to it.
 */
int g_variant_iter_loop(GVariantIter *iter, const char **key, GVariant **value)
{
	if (iter->last) {
		g_variant_unref(iter->last);
		iter->last = NULL;
	}
	if (iter->pos >= iter->n)
		return 0;
	*key = iter->entries[iter->pos].key;
	*value = iter->last = g_variant_ref(iter->entries[iter->pos].value);
	iter->pos++;
	return 1;
}

void g_variant_iter_free(GVariantIter *iter)
{
	if (iter->last)
		g_variant_unref(iter->last);
	free(iter);
}

int ibus_serializable_real_deserialize(IBusSerializable *object,
				       GVariant *variant)
{
	const char *key;
	GVariant *value;
	GVariantIter *iter = NULL;

	g_variant_get_child(variant, 1, &iter);
	while (g_variant_iter_loop(iter, &key, &value)) {
		GVariant *attachment = g_variant_get_variant(value);

		ibus_serializable_set_attachment(object, key, attachment);
		g_variant_unref(attachment);
	}
	g_variant_iter_free(iter);
	return 2;
}
