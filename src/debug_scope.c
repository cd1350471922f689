/* SPDX-License-Identifier: MIT */
/*
 * debug_scope.c - debug mode's record of kref/cleanup.h's scope-based
 * references (kref/cleanup_debug.h has the hooks that call it): where each
 * CLASS() variable of a KREF_DEFINE_PUT() class was declared, so that its
 * put at scope exit is recorded there, and where a reference escaped its
 * scope (no_free_ptr(), return_ptr(), retain_and_null_ptr()), which is
 * recorded on the object through debug.c.
 */
/* The prototypes are in cleanup_debug.h, its hooks: not the release
 * build's of cleanup.h. */
#define KREF_NO_CLEANUP
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include <kref.h>
#include <kref/debug.h>
#include <kref/cleanup_debug.h>
#include "internal.h"
#include "debug_internal.h"

/*
 * Each thread's live CLASS() entries, newest last, each known by its
 * variable's address, which no other live variable shares.  Scope exits
 * are last-in first-out, so an exit drops the entries above its own: they
 * are variables whose cleanup a longjmp() skipped.  An entry with the
 * address of a variable being declared is one too, and is dropped then,
 * so no exit can find another variable's entry: a variable left out (the
 * record full) finds none, and its put falls back to the KREF_DEFINE_PUT()
 * line.  Allocated on a thread's first CLASS(), so that threads of
 * programs that do not use debug mode carry nothing.
 */
#define SCOPE_DEPTH 256

struct scope_entry {
	const void *var;
	long kref_offset;		/* of the kref in the object */
	const struct kref_site *site;	/* the declaration */
};

struct scope_stack {
	unsigned int depth;
	struct scope_entry entry[SCOPE_DEPTH];
};

static _Thread_local struct scope_stack *scope_stack;
static pthread_key_t scope_key;
static pthread_once_t scope_once = PTHREAD_ONCE_INIT;

static void scope_stack_free(void *st)
{
	free(st);
	scope_stack = NULL;	/* a later destructor may declare scopes */
}

static void scope_key_create(void)
{
	pthread_key_create(&scope_key, scope_stack_free);
}

static struct scope_stack *scopes(void)
{
	if (!scope_stack) {
		pthread_once(&scope_once, scope_key_create);
		scope_stack = calloc(1, sizeof(*scope_stack));
		if (scope_stack)
			pthread_setspecific(scope_key, scope_stack);
	}
	return scope_stack;
}

/* The newest entry of @var, or NULL. */
static struct scope_entry *scope_find(struct scope_stack *st, const void *var)
{
	for (unsigned int i = st->depth; i-- > 0;)
		if (st->entry[i].var == var)
			return &st->entry[i];
	return NULL;
}

void **kref_debug_scope_enter_(const void *var, const void *frame,
			       long kref_offset, const struct kref_site *site)
{
	/* What a __free() variable of a program built with earlier headers
	 * is initialised through: NULL, then its value. */
	static _Thread_local void *slot;
	struct scope_stack *st;
	struct scope_entry *e;

	(void)frame;
	slot = NULL;
	if (!var || !(st = scopes()))
		return &slot;
	e = scope_find(st, var);
	if (e) {		/* a variable that is no longer live */
		st->depth--;
		for (; e < &st->entry[st->depth]; e++)
			e[0] = e[1];
	}
	if (st->depth < SCOPE_DEPTH)
		st->entry[st->depth++] = (struct scope_entry){ var, kref_offset, site };
	return &slot;
}

const struct kref_site *kref_debug_scope_exit_(const void *var, const void *frame,
					       const struct kref_site *fallback)
{
	struct scope_stack *st = scope_stack;
	struct scope_entry *e = st && var ? scope_find(st, var) : NULL;

	(void)frame;
	if (!e)
		return fallback;
	st->depth = (unsigned int)(e - st->entry);
	return e->site;
}

/*
 * The kref offsets of the program's KREF_DEFINE_PUT()s, for escapes from
 * __free() variables, which record nothing when declared: registered
 * before main() (and by libraries loaded later), each once, the first
 * OFFSETS distinct ones.  Written under offsets_lock, published by
 * noffsets and never changed after, so an escape reads them unlocked.
 */
#define OFFSETS 64

static pthread_mutex_t offsets_lock = PTHREAD_MUTEX_INITIALIZER;
static long offsets[OFFSETS];
static atomic_uint noffsets;

void kref_debug_scope_offset_(long kref_offset)
{
	unsigned int n;

	pthread_mutex_lock(&offsets_lock);
	/* Relaxed: noffsets is written under the lock held here. */
	n = atomic_load_explicit(&noffsets, memory_order_relaxed);
	for (unsigned int i = 0; i < n; i++)
		if (offsets[i] == kref_offset)
			n = OFFSETS;
	if (n < OFFSETS) {
		offsets[n] = kref_offset;
		/* Release: an escape that sees the count sees the offset. */
		atomic_store_explicit(&noffsets, n + 1, memory_order_release);
	}
	pthread_mutex_unlock(&offsets_lock);
}

/* In integers: the offset tried may be another type's. */
static const struct kref *kref_at(const void *object, long offset)
{
	return (const struct kref *)((uintptr_t)object + (uintptr_t)offset);
}

void kref_debug_scope_escape_(const void *var, const void *frame,
			      const void *value, const struct kref_site *site)
{
	struct scope_stack *st = scope_stack;
	struct scope_entry *e;
	long try[OFFSETS];
	unsigned int n;

	(void)frame;
	if (!value || (uintptr_t)value >= (uintptr_t)-KREF_MAX_ERRNO)
		return;
	/* A CLASS() variable: its entry has the offset. */
	if (st && (e = scope_find(st, var))) {
		kref_debug_record_escape_(kref_at(value, e->kref_offset), site);
		return;
	}
	/*
	 * A __free() variable: the first offset, smallest first, where a live
	 * tracked object has its kref (nothing is read where none has).  A
	 * smaller offset than its own would be a tracked object inside it.
	 */
	/* Acquire: pairs with the registration's release. */
	n = atomic_load_explicit(&noffsets, memory_order_acquire);
	for (unsigned int i = 0; i < n; i++) {	/* sorted, ascending */
		unsigned int j = i;

		for (; j > 0 && try[j - 1] > offsets[i]; j--)
			try[j] = try[j - 1];
		try[j] = offsets[i];
	}
	for (unsigned int i = 0; i < n; i++)
		if (kref_debug_record_escape_(kref_at(value, try[i]), site))
			return;
}

/* ---- for the tests ---------------------------------------------------- */

unsigned int kref_debug_scope_depth_(void)
{
	return scope_stack ? scope_stack->depth : 0;
}
