/* SPDX-License-Identifier: MIT */
/* Rule 3, correct: a single-threaded tool finds an entry in its global
 * table and takes a reference for a second holder, with no lock: nothing
 * else runs, so nothing can drop the table's reference between the find
 * and the get. */
#include <stdio.h>
#include <stdlib.h>
#include <kref.h>

struct htab;
void *htab_get(struct htab *t, unsigned long key);
void *htab_take(struct htab *t, unsigned long key);

struct entry {
	unsigned long key;
	struct kref ref;
};

struct view {
	struct entry *e;
};

static struct htab *entries;

static void entry_release(struct kref *ref)
{
	free(container_of(ref, struct entry, ref));
}

int view_open(struct view *v, unsigned long key)
{
	struct entry *e = htab_get(entries, key);

	if (!e)
		return -1;
	kref_get(&e->ref);
	v->e = e;
	return 0;
}

void view_close(struct view *v)
{
	kref_put(&v->e->ref, entry_release);
}

void entry_forget(unsigned long key)
{
	struct entry *e = htab_take(entries, key);

	if (e)
		kref_put(&e->ref, entry_release);
}

int main(int argc, char **argv)
{
	struct view v;

	if (argc < 2 || view_open(&v, strtoul(argv[1], NULL, 0)))
		return 1;
	entry_forget(strtoul(argv[1], NULL, 0));
	printf("%lu\n", v.e->key);
	view_close(&v);
	return 0;
}
