/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/at-spi2-core
 * Path:    atspi/atspi-misc.c
 * Fix:     f44c64fea0bf8ddf47ed6f5fd1ccfff409d08a93
 * Bug:     add_accessible_from_iter() unrefs the old child in the parent's
 *          children slot while the slot still points to it; if that was the
 *          last reference, the child's dispose removes it from the parent's
 *          array, which unrefs it a second time (use after free).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <kref.h>

typedef struct AtspiAccessible AtspiAccessible;

/* A GPtrArray whose free function is atspi_accessible_unref: every
 * non-NULL slot owns one reference. */
typedef struct {
	AtspiAccessible **pdata;
	unsigned int len;
} GPtrArray;

struct AtspiAccessible {
	struct kref ref_count;			/* GObject reference count */
	AtspiAccessible *accessible_parent;	/* holds a reference */
	GPtrArray *children;
	int role;
};

typedef struct DBusMessageIter DBusMessageIter;

/* frees the accessible's caches, strings and children array */
extern void atspi_accessible_finalize(AtspiAccessible *accessible);
/* returns the accessible named by the next (bus name, path) in @iter,
 * as a new reference; NULL if there is none */
extern AtspiAccessible *_atspi_dbus_consume_accessible(DBusMessageIter *iter);
/* reads the index in parent; returns 0 if the message has none */
extern int _atspi_dbus_get_index_in_parent(DBusMessageIter *iter, int32_t *index);
/* reads name, role, description and states into the accessible */
extern void _atspi_dbus_read_properties(AtspiAccessible *accessible, DBusMessageIter *iter);
/* marks the properties cached; the cache holds its own reference */
extern void _atspi_accessible_add_cache(AtspiAccessible *accessible);
/* grows the array to @length slots, the new ones NULL */
extern void g_ptr_array_set_size(GPtrArray *array, unsigned int length);

static void atspi_accessible_dispose(struct kref *kref);

AtspiAccessible *g_object_ref(AtspiAccessible *accessible)
{
	kref_get(&accessible->ref_count);
	return accessible;
}

void g_object_unref(AtspiAccessible *accessible)
{
	kref_put(&accessible->ref_count, atspi_accessible_dispose);
}

void atspi_accessible_unref(AtspiAccessible *accessible)
{
	if (accessible)
		g_object_unref(accessible);
}

/* removes the first slot holding @data and calls the free function on it */
int g_ptr_array_remove(GPtrArray *array, AtspiAccessible *data)
{
	unsigned int i;

	for (i = 0; i < array->len; i++) {
		if (array->pdata[i] == data) {
			atspi_accessible_unref(array->pdata[i]);
			memmove(&array->pdata[i], &array->pdata[i + 1],
				(array->len - i - 1) * sizeof(array->pdata[0]));
			array->len--;
			return 1;
		}
	}
	return 0;
}

static void atspi_accessible_dispose(struct kref *kref)
{
	AtspiAccessible *accessible = container_of(kref, AtspiAccessible, ref_count);
	AtspiAccessible *parent;

	parent = accessible->accessible_parent;
	if (parent) {
		accessible->accessible_parent = NULL;
		if (parent->children)
			g_ptr_array_remove(parent->children, accessible);
		g_object_unref(parent);
	}

	atspi_accessible_finalize(accessible);
}

void add_accessible_from_iter(DBusMessageIter *iter)
{
	AtspiAccessible *accessible;
	AtspiAccessible *parent;
	int32_t index;

	/* get accessible */
	accessible = _atspi_dbus_consume_accessible(iter);
	if (!accessible)
		return;

	/* get parent */
	parent = _atspi_dbus_consume_accessible(iter);
	if (accessible->accessible_parent)
		g_object_unref(accessible->accessible_parent);
	accessible->accessible_parent = parent;

	if (_atspi_dbus_get_index_in_parent(iter, &index)) {
		if (index >= 0 && accessible->accessible_parent) {
			GPtrArray *children = accessible->accessible_parent->children;

			if ((unsigned int)index >= children->len) {
				/* There is no room for this object */
				g_ptr_array_set_size(children, index + 1);
			} else {
				/* This place is already taken - free it */
				if (children->pdata[index])
					g_object_unref(children->pdata[index]); /* expect: rule 2 */
			}
			children->pdata[index] = g_object_ref(accessible);
		}
	}

	_atspi_dbus_read_properties(accessible, iter);
	_atspi_accessible_add_cache(accessible);

	/* the cache holds a reference, drop the one consumed above */
	g_object_unref(accessible);
}
