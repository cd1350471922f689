/* SPDX-License-Identifier: MIT */
/* Rule 1: a parsed font is put in the loader's cache, whose entries are
 * unreffed when the cache drops them, with the one reference the parser
 * made, and the same reference is returned to the caller: both owners
 * will drop it. */
#include <stdlib.h>
#include <string.h>
#include <kref.h>

struct font {
	struct kref ref;
	char *family;
};

struct loader {
	void *cache;
};

/* Adds font under key; the cache unrefs font when the entry goes. */
extern void cache_add(void *cache, const char *key, struct font *font);

/* Returns a new reference to the parsed font, or NULL. */
struct font *font_parse(struct loader *l, const char *family)
{
	struct font *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	kref_init(&f->ref);
	f->family = strdup(family);
	cache_add(l->cache, family, f);	/* expect: rule 1 */
	return f;
}
