/* SPDX-License-Identifier: MIT */
/*
 * test_debug_own_malloc.c - a program whose own malloc() comes before
 * debug mode's allocator watch: debug mode cannot see freed memory, and
 * says so once, at start, rather than stay silent.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <kref.h>
#include "tap.h"

#include "sanitizer.h"

#ifdef SANITIZER_OWNS_MALLOC
int main(void)
{
	printf("1..0 # SKIP a sanitizer owns malloc here (the plain, hook and clang builds run it)\n");
	return 0;
}
#else
/* The program's allocator: glibc's, called by its own names, so that the
 * watch's weak definitions give way to these. */
void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t size);
void __libc_free(void *p);

void *malloc(size_t size) { return __libc_malloc(size); }
void *calloc(size_t n, size_t size) { return __libc_calloc(n, size); }
void *realloc(void *p, size_t size) { return __libc_realloc(p, size); }
void free(void *p) { __libc_free(p); }

static void keep(struct kref *k)
{
	(void)k;
}

/* The notice comes as debug mode starts, before main(): stderr goes to a
 * file from a constructor that runs before debug mode's. */
static FILE *captured;
static int saved_stderr = -1;

__attribute__((constructor(101))) static void capture_stderr(void)
{
	captured = tmpfile();
	if (captured) {
		saved_stderr = dup(STDERR_FILENO);
		dup2(fileno(captured), STDERR_FILENO);
	}
}

int main(void)
{
	static const char notice[] = "kref: debug mode cannot watch this "
		"program's allocator (a malloc() of the program's own comes "
		"first): a get or put on freed memory may go unreported\n";
	char line[512];
	int notices = 0, lines = 0;
	struct kref k;

	kref_init(&k);
	if (!kref_put(&k, keep) || !captured)
		BAIL_OUT("no release, or no file for stderr");
	dup2(saved_stderr, STDERR_FILENO);
	rewind(captured);
	while (fgets(line, sizeof(line), captured)) {
		lines++;
		notices += strcmp(line, notice) == 0;
	}
	ok(notices == 1 && lines == 1,
	   "a program's own malloc: debug mode says once that it cannot see "
	   "freed memory, and nothing else");
	return done_testing();
}
#endif
