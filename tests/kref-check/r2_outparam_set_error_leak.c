/* SPDX-License-Identifier: MIT */
/* Rule 2: the lookup hands the entry back in *out with a reference it
 * takes for the caller, then fails on a dead entry with *out still set.
 * A caller reads *out only on success: the reference leaks.  The entry
 * was found, not made, and the function puts it nowhere itself: unlike
 * ok_outparam_escaped_extra_ref.c, nothing says the caller cleans up. */
#include <errno.h>
#include <stdlib.h>
#include <kref.h>

struct tab;
struct ent { struct kref ref; int dead; };

/* The entry for key, or NULL; no reference. */
struct ent *tab_find(struct tab *t, int key);

int ent_get(struct tab *t, int key, struct ent **out)
{
	struct ent *e = tab_find(t, key);

	if (!e)
		return -ENOENT;
	*out = e;
	kref_get(&e->ref);
	if (e->dead)
		return -ESTALE;	/* expect: rule 2 */
	return 0;
}
