/* SPDX-License-Identifier: MIT */
/*
 * matrix.c - the debug-mode matrix: small programs with one refcount bug
 * each, in the layouts real code has, for tests/debug/matrix.sh.
 *
 * One source, compiled once per layout (mk/tests.mk's debug-matrix target,
 * build/MODE/debug/matrix-offOFF-SIZE), always with -DKREF_DEBUG, and
 * linked with the debug-mode library ($(DEBUG_LIBS)):
 *
 *   -DMATRIX_OFF=0|4|8|16|-1   where struct kref sits in the object (-1:
 *                              its last member)
 *   -DMATRIX_SIZE_tcache       a 48-byte object: free() puts it in the
 *                              tcache, which writes its next pointer over
 *                              bytes 0-7 and its key over bytes 8-15
 *   -DMATRIX_SIZE_bins         4000 bytes: above the tcache's largest size
 *                              (1032) and below the mmap threshold, so
 *                              free() puts it in the unsorted bin (later a
 *                              large bin), writing fd and bk over bytes
 *                              0-15 (fd_nextsize, bk_nextsize: 16-31, once
 *                              sorted).  A guard allocation after each
 *                              object keeps it from merging into the top
 *                              chunk, which would write nothing.  Chosen
 *                              over filling a 48-byte tcache bin first:
 *                              it does not depend on how many entries the
 *                              tcache holds (a tunable), and the bins
 *                              overwrite more of the object than a fastbin
 *                              (bytes 0-7 only).
 *   -DMATRIX_SIZE_mmap         200 kB, above the mmap threshold (pinned at
 *                              128 kB by mallopt, so that glibc's dynamic
 *                              threshold does not move it): free() unmaps it
 *
 * The bug, its correct twin and the wrapper depth are chosen at run time:
 *
 *   matrix CASE bug|twin DEPTH
 *   matrix --fork DIR CASE:bug|twin:DEPTH...   each in a forked child, its
 *       stderr in DIR/CASE-VARIANT-DEPTH.err; "NAME PID STATUS" lines
 *       appended to DIR/index (Valgrind and ASan start once per layout,
 *       not once per cell)
 *
 * CASE: double-put, get-after-put, put-mutex (put after the final put,
 * both through kref_put_mutex), leak; and three adversarial cases, at
 * depth 0: adv-untracked-reuse, adv-errpath-free (correct programs whose
 * "bug" and "twin" are the same) and adv-munmap (a put on an object whose
 * own munmap()ed page the release gave back).  The twin of a bug runs
 * the same code without the buggy call (the leak's twin makes the put it
 * lacks).
 *
 * DEPTH 0: the user's code calls kref_* itself; 1: it calls obj_new(),
 * obj_get(), obj_put(), obj_put_mutex(), which call kref; 2: it calls
 * dev_new()... which call those.  Every user call is one macro on one line
 * (NEW, GET, PUT, PUT_MUTEX), whatever the depth, so each line carries a
 * comment of its own, MARK:name between comment delimiters, that matrix.sh
 * looks up: those are the lines a report must name.  The helpers are
 * noinline and make no tail calls, so each depth really has its frames.
 *
 * Exit status: 0 after the case (debug mode's leak report runs at exit),
 * 77 if the case could not set up what it tests (on stderr, "matrix:").
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <execinfo.h>
#endif

#include <kref.h>
#include "mixed_peer.h"

#ifndef KREF_DEBUG
#error "matrix.c is built with -DKREF_DEBUG"
#endif

#if defined(MATRIX_SIZE_tcache)
#define OBJ_SIZE	48
#elif defined(MATRIX_SIZE_bins)
#define OBJ_SIZE	4000
#elif defined(MATRIX_SIZE_mmap)
#define OBJ_SIZE	(200 * 1024)
#else
#error "define MATRIX_SIZE_tcache, MATRIX_SIZE_bins or MATRIX_SIZE_mmap"
#endif

#ifndef MATRIX_OFF
#error "define MATRIX_OFF: 0, 4, 8, 16 or -1 (the last member)"
#endif

#define KREF_SIZE	((int)sizeof(struct kref))
#define KREF_AT		(MATRIX_OFF < 0 ? OBJ_SIZE - KREF_SIZE : MATRIX_OFF)

struct obj {
#if MATRIX_OFF != 0
	unsigned char before[KREF_AT];
#endif
	struct kref ref;
#if MATRIX_OFF >= 0
	unsigned char after[OBJ_SIZE - MATRIX_OFF - KREF_SIZE];
#endif
};

_Static_assert(sizeof(struct obj) == OBJ_SIZE, "the object's size");
_Static_assert(offsetof(struct obj, ref) == KREF_AT, "the kref's offset");

#define NOINLINE	__attribute__((noinline))
/* After a call: keeps it from being a tail call, so the caller's frame
 * stays on the stack as in the call chain the source shows. */
#define NO_TAIL()	__asm__ __volatile__("" ::: "memory")

static int depth;
static pthread_mutex_t obj_lock = PTHREAD_MUTEX_INITIALIZER;

#ifdef MATRIX_SIZE_bins
/* Keeps the guards reachable (no leak for LeakSanitizer or Valgrind). */
static void *guards[16];
static unsigned int nguards;
#endif

/* Memory for one object, uninitialised as malloc gives it. */
static NOINLINE struct obj *obj_alloc(void)
{
	struct obj *o = malloc(sizeof(*o));

	if (!o) {
		fprintf(stderr, "matrix: out of memory\n");
		exit(77);
	}
#ifdef MATRIX_SIZE_bins
	if (nguards < sizeof(guards) / sizeof(guards[0]))
		guards[nguards++] = malloc(32);
#endif
	return o;
}

static void obj_release(struct kref *ref)
{
	free(container_of(ref, struct obj, ref));
}

/* kref_put_mutex's release: called with obj_lock held. */
static void obj_release_unlock(struct kref *ref)
{
	struct obj *o = container_of(ref, struct obj, ref);

	pthread_mutex_unlock(&obj_lock);
	free(o);
}

/* Depth 1: helpers that call kref. */
static NOINLINE struct obj *obj_new(void)
{
	struct obj *o = obj_alloc();

	kref_init(&o->ref);
	NO_TAIL();
	return o;
}

static NOINLINE void obj_get(struct obj *o)
{
	kref_get(&o->ref);
	NO_TAIL();
}

static NOINLINE void obj_put(struct obj *o)
{
	kref_put(&o->ref, obj_release);
	NO_TAIL();
}

static NOINLINE void obj_put_mutex(struct obj *o)
{
	kref_put_mutex(&o->ref, obj_release_unlock, &obj_lock);
	NO_TAIL();
}

/* Depth 2: helpers calling those. */
static NOINLINE struct obj *dev_new(void)
{
	struct obj *o = obj_new();

	NO_TAIL();
	return o;
}

static NOINLINE void dev_get(struct obj *o)
{
	obj_get(o);
	NO_TAIL();
}

static NOINLINE void dev_put(struct obj *o)
{
	obj_put(o);
	NO_TAIL();
}

static NOINLINE void dev_put_mutex(struct obj *o)
{
	obj_put_mutex(o);
	NO_TAIL();
}

/* The user's calls, at the depth chosen: each expands on its own line. */
#define NEW(o)								\
	do {								\
		if (depth == 0) {					\
			(o) = obj_alloc();				\
			kref_init(&(o)->ref);				\
		} else {						\
			(o) = depth == 1 ? obj_new() : dev_new();	\
		}							\
	} while (0)
#define GET(o)								\
	do {								\
		if (depth == 0)						\
			kref_get(&(o)->ref);				\
		else if (depth == 1)					\
			obj_get(o);					\
		else							\
			dev_get(o);					\
	} while (0)
#define PUT(o)								\
	do {								\
		if (depth == 0)						\
			kref_put(&(o)->ref, obj_release);		\
		else if (depth == 1)					\
			obj_put(o);					\
		else							\
			dev_put(o);					\
	} while (0)
#define PUT_MUTEX(o)							\
	do {								\
		if (depth == 0)						\
			kref_put_mutex(&(o)->ref, obj_release_unlock,	\
				       &obj_lock);			\
		else if (depth == 1)					\
			obj_put_mutex(o);				\
		else							\
			dev_put_mutex(o);				\
	} while (0)

/* ---- the matrix's bugs ------------------------------------------------ */

static NOINLINE void user_double_put(int twin)
{
	struct obj *o;

	NEW(o);			/* MARK:dp_new */
	GET(o);			/* MARK:dp_get */
	PUT(o);			/* MARK:dp_put */
	PUT(o);			/* MARK:dp_final */
	if (!twin)
		PUT(o);		/* MARK:dp_bad */
	NO_TAIL();
}

static NOINLINE void user_get_after_put(int twin)
{
	struct obj *o;

	NEW(o);			/* MARK:ga_new */
	GET(o);			/* MARK:ga_get */
	PUT(o);			/* MARK:ga_put */
	PUT(o);			/* MARK:ga_final */
	if (!twin)
		GET(o);		/* MARK:ga_bad */
	NO_TAIL();
}

static NOINLINE void user_put_mutex(int twin)
{
	struct obj *o;

	NEW(o);			/* MARK:pm_new */
	GET(o);			/* MARK:pm_get */
	PUT_MUTEX(o);		/* MARK:pm_put */
	PUT_MUTEX(o);		/* MARK:pm_final */
	if (!twin)
		PUT_MUTEX(o);	/* MARK:pm_bad */
	NO_TAIL();
}

static NOINLINE void user_leak(int twin)
{
	struct obj *o;

	NEW(o);			/* MARK:lk_new */
	GET(o);			/* MARK:lk_get */
	PUT(o);			/* MARK:lk_put */
	if (twin)
		PUT(o);		/* MARK:lk_final */
	NO_TAIL();
}

/* ---- adversarial cases (depth 0) -------------------------------------- */

/* Kept from the compiler, which may assume that a new allocation is never
 * at a freed one's address. */
static volatile uintptr_t freed_at;

static void note_release(struct kref *ref)
{
	freed_at = (uintptr_t)container_of(ref, struct obj, ref);
	obj_release(ref);
}

static void need_reuse(const struct obj *o)
{
	if ((uintptr_t)o != freed_at) {
		fprintf(stderr, "matrix: setup: malloc did not hand the freed "
			"object's address out again\n");
		exit(77);
	}
}

/*
 * Correct: a tracked object is freed by its final put; malloc hands its
 * memory to a new object that a unit built without KREF_DEBUG initialises
 * (mixed_peer.c), and whose holders here get and put it, the final put
 * included.  Then once more, the new object initialised by assignment
 * (KREF_INIT) and finally put through kref_put_mutex.
 */
static NOINLINE void user_untracked_reuse(void)
{
	struct obj *a = obj_alloc(), *b, *c;

	kref_init(&a->ref);
	kref_get(&a->ref);
	kref_put(&a->ref, note_release);
	kref_put(&a->ref, note_release);	/* frees a */
	b = malloc(sizeof(*b));
	need_reuse(b);
	peer_init(&b->ref);
	kref_get(&b->ref);
	kref_put(&b->ref, note_release);
	kref_put(&b->ref, note_release);	/* frees b */
	c = malloc(sizeof(*c));
	need_reuse(c);
	c->ref = (struct kref)KREF_INIT(1);
	kref_put_mutex(&c->ref, obj_release_unlock, &obj_lock);
	NO_TAIL();
}

/*
 * Correct: an object is initialised, then an error path frees it with
 * free() before it was ever published (no put: nobody else has it); malloc
 * hands its memory, uninitialised, to the next object, which lives a
 * normal tracked life.  Where the allocator does not hand it out again
 * (Valgrind), the freed object must not be reported as a leak either.
 */
static NOINLINE void user_errpath_free(void)
{
	struct obj *a = obj_alloc(), *b;

	kref_init(&a->ref);
	freed_at = (uintptr_t)a;
	free(a);			/* the error path */
	b = obj_alloc();	/* usually a's memory (not under Valgrind) */
	kref_init(&b->ref);
	kref_get(&b->ref);
	kref_put(&b->ref, obj_release);
	kref_put(&b->ref, obj_release);
	NO_TAIL();
}

/* The object in pages of its own, as an allocator built on mmap() gives
 * them; its release unmaps them. */
#define PAGES_SIZE	((sizeof(struct obj) + 4095) & ~(size_t)4095)

static void page_release(struct kref *ref)
{
	munmap(container_of(ref, struct obj, ref), PAGES_SIZE);
}

/* A put after the final put, on an object whose pages the final put gave
 * back to the kernel: no free() anywhere.  The twin stops before it. */
static NOINLINE void user_munmap(int twin)
{
	struct obj *o = mmap(NULL, PAGES_SIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (o == MAP_FAILED) {
		fprintf(stderr, "matrix: setup: mmap failed\n");
		exit(77);
	}
	kref_init(&o->ref);			/* MARK:mu_new */
	kref_get(&o->ref);			/* MARK:mu_get */
	kref_put(&o->ref, page_release);	/* MARK:mu_put */
	kref_put(&o->ref, page_release);	/* MARK:mu_final */
	if (!twin)
		kref_put(&o->ref, page_release);	/* MARK:mu_bad */
	NO_TAIL();
}

/* ---- running a cell --------------------------------------------------- */

static int run_case(const char *name, const char *variant, const char *d)
{
	int twin;

	if (strcmp(variant, "bug") && strcmp(variant, "twin"))
		return -1;
	twin = !strcmp(variant, "twin");
	if (strlen(d) != 1 || d[0] < '0' || d[0] > '2')
		return -1;
	depth = d[0] - '0';
	if (!strcmp(name, "double-put"))
		user_double_put(twin);
	else if (!strcmp(name, "get-after-put"))
		user_get_after_put(twin);
	else if (!strcmp(name, "put-mutex"))
		user_put_mutex(twin);
	else if (!strcmp(name, "leak"))
		user_leak(twin);
	else if (!strcmp(name, "adv-untracked-reuse") && depth == 0)
		user_untracked_reuse();
	else if (!strcmp(name, "adv-errpath-free") && depth == 0)
		user_errpath_free();
	else if (!strcmp(name, "adv-munmap") && depth == 0)
		user_munmap(twin);
	else
		return -1;
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: matrix CASE bug|twin DEPTH\n"
		"       matrix --fork DIR CASE:bug|twin:DEPTH...\n");
	return 2;
}

/* Each cell in a child of its own; the parent only forks and waits. */
static int fork_cells(const char *dir, int n, char **cells)
{
	char path[4096];
	FILE *idx;

	snprintf(path, sizeof(path), "%s/index", dir);
	idx = fopen(path, "a");
	if (!idx)
		return usage();
#ifdef __GLIBC__
	{
		/* The unwinder loaded (and, under Valgrind, translated) once
		 * here rather than in each child's first report. */
		void *frames[4];

		backtrace(frames, 4);
	}
#endif
	for (int i = 0; i < n; i++) {
		char cell[256], *variant, *d;
		pid_t pid;
		int status, rc;

		snprintf(cell, sizeof(cell), "%s", cells[i]);
		variant = strchr(cell, ':');
		d = variant ? strchr(variant + 1, ':') : NULL;
		if (!d)
			return usage();
		*variant++ = '\0';
		*d++ = '\0';
		fflush(NULL);
		pid = fork();
		if (pid < 0)
			return usage();
		if (pid == 0) {
			snprintf(path, sizeof(path), "%s/%s-%s-%s.err", dir,
				 cell, variant, d);
			if (!freopen(path, "w", stderr))
				_exit(2);
			setvbuf(stderr, NULL, _IONBF, 0);
			exit(run_case(cell, variant, d) ? usage() : 0);
		}
		if (waitpid(pid, &status, 0) != pid)
			return usage();
		rc = WIFEXITED(status) ? WEXITSTATUS(status) :
		     128 + WTERMSIG(status);
		fprintf(idx, "%s-%s-%s %d %d\n", cell, variant, d, (int)pid, rc);
	}
	return fclose(idx) ? 2 : 0;
}

int main(int argc, char **argv)
{
#ifdef M_MMAP_THRESHOLD
	/* Fixed: glibc raises it to the size of each mmap'd block freed. */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
	if (argc >= 3 && !strcmp(argv[1], "--fork"))
		return fork_cells(argv[2], argc - 3, argv + 3);
	if (argc != 4)
		return usage();
	return run_case(argv[1], argv[2], argv[3]) ? usage() : 0;
}
