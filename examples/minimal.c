/* SPDX-License-Identifier: MIT */
/* minimal.c - the smallest program using libkref; build it with:
 *   cc minimal.c $(pkg-config --cflags --libs libkref) */
#include <stdio.h>
#include <stdlib.h>
#include <kref.h>

struct greeting {
	const char *text;
	struct kref ref;
};

static void greeting_release(struct kref *ref)
{
	struct greeting *g = container_of(ref, struct greeting, ref);

	printf("released: %s\n", g->text);
	free(g);
}

int main(void)
{
	struct greeting *g = malloc(sizeof(*g));

	if (!g)
		return 1;
	g->text = "hello, kref";
	kref_init(&g->ref);			/* count 1: ours */
	kref_get(&g->ref);			/* count 2: for a second user */
	kref_put(&g->ref, greeting_release);	/* the second user is done */
	return !kref_put(&g->ref, greeting_release);	/* last: releases */
}
