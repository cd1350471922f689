/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/at-spi2-core
 * Path: atk-adaptor/adaptors/collection-adaptor.c
 * Fix: 8d3cc68f7bc62c7015d986212be0d5d776920ee2
 * Bug: sort_order_canonical() dropped the reference returned by
 * atk_object_ref_accessible_child() right away and then kept using the
 * child (compare, match, append to the result list, recurse), a use after
 * the put when the returned object held only that one reference.
 */
#include <stdbool.h>
#include <stddef.h>
#include <kref.h>

typedef struct atk_object {
	struct kref ref;
	int role;
} AtkObject;

typedef struct match_rule_private MatchRulePrivate;
struct glist;

/* frees an accessible once its last reference is gone */
extern void atk_object_release(struct kref *ref);
/* returns a new reference to child i of obj, or NULL */
extern AtkObject *atk_object_ref_accessible_child(AtkObject *obj, int i);
/* number of children of obj */
extern long atk_object_get_n_accessible_children(AtkObject *obj);
/* match helpers: read the object, take no reference */
extern bool match_interfaces_lookup(AtkObject *child, MatchRulePrivate *mrp);
extern bool match_states_lookup(AtkObject *child, MatchRulePrivate *mrp);
extern bool match_roles_lookup(AtkObject *child, MatchRulePrivate *mrp);
extern bool match_attributes_lookup(AtkObject *child, MatchRulePrivate *mrp);
/* appends a borrowed pointer to the result list */
extern struct glist *g_list_append(struct glist *ls, void *data);
/* whether the child's subtree is to be walked */
extern bool traverse_p(AtkObject *child, bool traverse);

static void g_object_unref(AtkObject *obj)
{
	kref_put(&obj->ref, atk_object_release);
}

int sort_order_canonical(MatchRulePrivate *mrp, struct glist *ls,
			 int kount, int max, AtkObject *obj, long index,
			 bool flag, AtkObject *pobj, bool recurse,
			 bool traverse)
{
	long i = index;
	long acount = atk_object_get_n_accessible_children(obj);
	bool prev = pobj ? true : false;

	for (; i < acount && (max == 0 || kount < max); i++) {
		AtkObject *child = atk_object_ref_accessible_child(obj, (int)i);

		if (!child)
			continue;

		if (prev && child == pobj) {
			g_object_unref(child);
			return kount;
		}

		if (flag && match_interfaces_lookup(child, mrp) &&
		    match_states_lookup(child, mrp) &&
		    match_roles_lookup(child, mrp) &&
		    match_attributes_lookup(child, mrp)) {
			ls = g_list_append(ls, child);
			kount++;
		}

		if (!flag)
			flag = true;

		if (recurse && traverse_p(child, traverse))
			kount = sort_order_canonical(mrp, ls, kount, max,
						     child, 0, true, pobj,
						     recurse, traverse);
		g_object_unref(child);
	}
	return kount;
}
