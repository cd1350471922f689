/* SPDX-License-Identifier: MIT */
/* A parsed font is put in the loader's cache, whose entries are unreffed
 * when the cache drops them, with a reference taken for the cache; the
 * parser's own reference goes to the caller. */
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
	kref_get(&f->ref);
	cache_add(l->cache, family, f);
	return f;
}
