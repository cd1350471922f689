/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/gcr
 * Path: gcr/gcr-union-collection.c
 * Fix commit: d14a8aff48381ea97e68b7996e1b7bb2f7a923fb
 * Bug: gcr_union_collection_take() is handed the caller's reference, which
 * the collections table should keep, but it took one more reference for the
 * table key, so every added collection leaked one reference.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct GcrCollection {
	struct kref ref;
} GcrCollection;

/*
 * The collections table (a GHashTable created with g_object_unref as the key
 * destroy function): each key owns one reference on its collection.
 */
struct collection_entry {
	struct collection_entry *next;
	GcrCollection *collection;
};

typedef struct GcrUnionCollectionPrivate {
	struct collection_entry *collections;
} GcrUnionCollectionPrivate;

typedef struct GcrUnionCollection {
	struct kref ref;
	GcrUnionCollectionPrivate *pv;
} GcrUnionCollection;

/* frees the collection and the objects it holds */
extern void gcr_collection_finalize(GcrCollection *collection);
/* connects the union's "added"/"removed" handlers; takes no reference */
extern void connect_to_collection(GcrUnionCollection *self, GcrCollection *collection);
/* disconnects those handlers */
extern void disconnect_from_collection(GcrUnionCollection *self, GcrCollection *collection);
/* emits "added" on the union for each object of the collection; takes no reference */
extern void emit_added_for_objects(GcrUnionCollection *self, GcrCollection *collection);

static void gcr_collection_release(struct kref *ref)
{
	gcr_collection_finalize(container_of(ref, GcrCollection, ref));
}

static GcrCollection *g_object_ref(GcrCollection *collection)
{
	kref_get(&collection->ref);
	return collection;
}

static void g_object_unref(GcrCollection *collection)
{
	kref_put(&collection->ref, gcr_collection_release);
}

/* g_hash_table_insert(): the table keeps the reference that comes with key */
static void g_hash_table_insert(GcrUnionCollectionPrivate *pv, GcrCollection *key)
{
	struct collection_entry *e = malloc(sizeof(*e));

	if (!e) {
		g_object_unref(key);
		return;
	}
	e->collection = key;
	e->next = pv->collections;
	pv->collections = e;
}

/* g_hash_table_remove(): puts the key's reference */
static void g_hash_table_remove(GcrUnionCollectionPrivate *pv, GcrCollection *key)
{
	struct collection_entry **p, *e;

	for (p = &pv->collections; (e = *p) != NULL; p = &e->next) {
		if (e->collection == key) {
			*p = e->next;
			g_object_unref(e->collection);
			free(e);
			return;
		}
	}
}

/* Takes over the caller's reference on collection. */
void gcr_union_collection_take(GcrUnionCollection *self, GcrCollection *collection)
{
	g_object_ref(collection);

	g_hash_table_insert(self->pv, g_object_ref(collection)); /* expect: rule 2 */
	connect_to_collection(self, collection);
	emit_added_for_objects(self, collection);

	g_object_unref(collection);
}

void gcr_union_collection_add(GcrUnionCollection *self, GcrCollection *collection)
{
	gcr_union_collection_take(self, g_object_ref(collection));
}

void gcr_union_collection_remove(GcrUnionCollection *self, GcrCollection *collection)
{
	g_object_ref(collection);

	g_hash_table_remove(self->pv, collection);
	disconnect_from_collection(self, collection);

	g_object_unref(collection);
}
