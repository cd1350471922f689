/* SPDX-License-Identifier: MIT */
/* Kept: obj_clear() is g_clear_object() for this
 * type; obj_ref_slot() is a helper that refs whatever a slot owned by
 * the single-threaded caller holds.  No threads share these slots. */
#include <stdlib.h>
#include <kref.h>

struct obj { struct kref ref; int v; };

static void obj_free(struct kref *ref)
{
	free(container_of(ref, struct obj, ref));
}

static struct obj *obj_ref(struct obj *o)
{
	kref_get(&o->ref);
	return o;
}

static void obj_unref(struct obj *o)
{
	kref_put(&o->ref, obj_free);
}

void obj_clear(struct obj **pp)
{
	struct obj *o = *pp;

	*pp = NULL;
	if (o)
		obj_unref(o);
}

/* A new reference to what *pp holds, or NULL. */
struct obj *obj_dup_slot(struct obj **pp)
{
	return *pp ? obj_ref(*pp) : NULL;
}
