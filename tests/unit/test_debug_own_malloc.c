/* SPDX-License-Identifier: MIT */
/*
 * test_debug_own_malloc.c - a program whose own malloc() comes before
 * debug mode's allocator watch: debug mode cannot see freed memory, and
 * says so once, at start, rather than stay silent.
 */
#include <stdio.h>
#include <string.h>
#include <kref.h>
#include "tap.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(SANITIZED)
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

/* The notice comes as debug mode starts, before main(): this program runs
 * itself with an argument, and reads what that run wrote. */
int main(int argc, char **argv)
{
	static const char notice[] = "kref: debug mode cannot watch this "
		"program's allocator (a malloc() of the program's own comes "
		"first): a get or put on freed memory may go unreported\n";
	char cmd[4096], line[512];
	int notices = 0, lines = 0;
	FILE *run;

	if (argc > 1) {
		struct kref k;

		kref_init(&k);
		return !kref_put(&k, keep);
	}
	snprintf(cmd, sizeof(cmd), "'%s' run 2>&1", argv[0]);
	if (!(run = popen(cmd, "r")))
		BAIL_OUT("popen failed");
	while (fgets(line, sizeof(line), run)) {
		lines++;
		notices += strcmp(line, notice) == 0;
	}
	ok(pclose(run) == 0 && notices == 1 && lines == 1,
	   "a program's own malloc: debug mode says once that it cannot see "
	   "freed memory, and nothing else");
	return done_testing();
}
#endif
