/* SPDX-License-Identifier: MIT */
/* Rule 2: the call succeeded, so the out parameter holds a reference; a
 * later failure returns without putting it. */
#include <errno.h>
#include <stdlib.h>
#include <kref.h>

struct mod { struct kref ref; const char *path; };

/*
 * Finds or makes the module called name.  On success (0) *out is the
 * module, with a reference for the caller; on failure, a negative errno.
 */
extern int mod_new(const char *name, struct mod **out);
extern void mod_unref(struct mod *m);

int mod_load(const char *name, const char *path)
{
	struct mod *m;
	int err;

	err = mod_new(name, &m);
	if (err < 0)
		return err;
	if (!path)
		return -EINVAL;	/* expect: rule 2 */
	m->path = path;
	mod_unref(m);
	return 0;
}
