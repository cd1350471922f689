/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r2_libportal_parent_free.c (own code): flatpak/libportal
 * commit 0fb64b35b5106947628735b141147b67d42f4497,
 * libportal/portal-helpers.h.  The free function drops the reference the
 * parent holds, on 'object'.
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
	clear_object(&parent->object);
	free(parent);
}
