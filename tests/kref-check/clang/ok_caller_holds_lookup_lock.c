/* SPDX-License-Identifier: MIT */
/* Correct: the lookup and the get run with the table's lock held by the
 * caller, as the comments say. */
#include <kref.h>

struct item { struct kref ref; int key; };

/* Returns the item for key, or NULL.  Called with table_lock held. */
extern struct item *__item_find(int key);

/* The item for key with a new reference; called with table_lock held. */
struct item *item_find_get_locked(int key)
{
	struct item *it = __item_find(key);

	if (it)
		kref_get(&it->ref);
	return it;
}
