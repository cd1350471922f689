/* SPDX-License-Identifier: MIT */
/* Rule 2, correct: a call that hands a reference back through an out
 * parameter hands back none when it fails (a negative int, or false). */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

struct mod { struct kref ref; const char *path; };

/*
 * Finds or makes the module called name.  On success (0) *out is the
 * module, with a reference for the caller; on failure, a negative errno.
 */
extern int mod_new(const char *name, struct mod **out);
/*
 * Finds or makes the module called name.  Returns true on success, with
 * *out set to the module and a reference for the caller; false on failure.
 */
extern bool mod_try_new(const char *name, struct mod **out);
extern void mod_unref(struct mod *m);

int mod_load(const char *name, const char *path)
{
	struct mod *m;
	int err;

	err = mod_new(name, &m);
	if (err < 0)
		return err;
	m->path = path;
	mod_unref(m);
	return 0;
}

int mod_probe(const char *name)
{
	struct mod *m;

	if (!mod_try_new(name, &m))
		return -1;
	mod_unref(m);
	return 0;
}
