/* SPDX-License-Identifier: MIT */
/*
 * test_debug_realloc.c - debug mode's realloc(): a block that holds a
 * watched kref is moved, so the kref's memory counts as freed; any other
 * block is the allocator's to resize, in place if it can.
 */
#include <stdint.h>
#include <stdlib.h>
#include <kref.h>
#include "tap.h"

#include "sanitizer.h"

/* Out of the compiler's sight, which warns of a pointer used after
 * realloc(): that use is the test. */
static struct kref *volatile inside;

static void keep(struct kref *k)
{
	(void)k;
}

int main(void)
{
	struct kref watched;
	char *plain, *shrunk;
	char *holder, *moved;

	kref_init(&watched);	/* the watch is on from here */

	plain = malloc(4096);
	shrunk = realloc(plain, 64);
#ifdef SANITIZER_OWNS_MALLOC
	(void)shrunk;
	ok(1, "# SKIP a sanitizer owns malloc here and moves every block it "
	   "resizes (the plain, hook and clang builds run it)");
#else
	/* glibc shrinks a heap block in place. */
	ok(shrunk == plain, "a block with no watched kref is resized by the "
	   "allocator itself (in place)");
#endif
	free(shrunk);

	holder = malloc(4096);
	inside = (struct kref *)(holder + 4000);
	kref_init(inside);
	ok(kref_put(inside, keep) == 1, "the kref in the block is released");
	moved = realloc(holder, 64);	/* the kref's memory is freed */
	ok(moved && moved != holder, "a block holding a watched kref moves");
	/* A put on memory realloc() freed: reported from the record, never
	 * performed (under ASan, a write there would be a use after free). */
	ok(kref_put(inside, keep) == 0, "a put on the kref realloc() freed is "
	   "not performed");
	free(moved);

	ok(kref_put(&watched, keep) == 1, "the first object is released");
	return done_testing();
}
