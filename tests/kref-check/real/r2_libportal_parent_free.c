/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: flatpak/libportal commit
 * 0fb64b35b5106947628735b141147b67d42f4497 "portal-helpers: Unref correct
 * object", libportal/portal-helpers.h, xdp_parent_free().  The parent
 * holds a reference on 'object' and a borrowed 'data' pointer; the free
 * function dropped 'data' - a reference it never owned - and leaked
 * 'object'.  GObject refcounting, written here with struct kref.
 */
#include <stdlib.h>
#include <kref.h>

struct gobject { struct kref ref; int kind; };
struct xdp_parent {
	struct gobject *object;	/* referenced */
	struct gobject *data;	/* borrowed */
};

static void gobject_free(struct kref *ref)
{
	free(container_of(ref, struct gobject, ref));
}

static void clear_object(struct gobject **p)
{
	if (*p) {
		kref_put(&(*p)->ref, gobject_free);
		*p = NULL;
	}
}

struct xdp_parent *xdp_parent_new(struct gobject *object, struct gobject *data)
{
	struct xdp_parent *parent = calloc(1, sizeof(*parent));

	if (!parent)
		return NULL;
	kref_get(&object->ref);
	parent->object = object;
	parent->data = data;
	return parent;
}

void xdp_parent_free(struct xdp_parent *parent)
{
	clear_object(&parent->data);	/* expect: rule 2 */
	free(parent);
}
