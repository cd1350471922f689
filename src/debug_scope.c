/* SPDX-License-Identifier: MIT */
/*
 * debug_scope.c - debug mode's record of kref/cleanup.h's scope-based
 * references: where each KREF_DEFINE_PUT() variable was declared, so that
 * its put at scope exit is recorded there, and where a reference escaped
 * its scope (no_free_ptr(), return_ptr(), retain_and_null_ptr()), which
 * it records on the object through debug.c.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include <kref.h>
#include <kref/debug.h>
#include "internal.h"
#include "debug_internal.h"

/*
 * Each thread's live scope-based references, newest last: where each was
 * declared, so that its put at scope exit is recorded there, and where the
 * kref sits in the object, so that no_free_ptr() can record an escape.
 * A CLASS() entry is found by its variable's address.  A __free() entry
 * cannot be: its note runs in the variable's initialiser, which does not
 * know the variable's name.  It is found by the frame of the function that
 * declared it (its cleanup is inlined there): scope exits within one
 * activation are last-in first-out, and a frame is unique among the live
 * ones, so entries that a longjmp() left above it are dropped when found.
 * Allocated on a thread's first use, so that threads of programs that do
 * not use debug mode carry nothing.
 */
#define SCOPE_DEPTH 256

struct scope_entry {
	const void *var;		/* CLASS(): the variable; __free(): NULL */
	const void *frame;		/* __free(): the declaring frame */
	void *value;			/* __free(): the initial value */
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

void **kref_debug_scope_enter_(const void *var, const void *frame,
			       long kref_offset, const struct kref_site *site)
{
	static _Thread_local void *unrecorded;
	struct scope_stack *st = scopes();
	struct scope_entry *e;

	if (!st || st->depth == SCOPE_DEPTH) {
		unrecorded = NULL;	/* what a declaration without value gets */
		return &unrecorded;
	}
	e = &st->entry[st->depth++];
	*e = (struct scope_entry){ var, frame, NULL, kref_offset, site };
	return &e->value;
}

/* With @frame, the newest __free() entry of that frame; else @var's. */
static struct scope_entry *scope_find(struct scope_stack *st, unsigned int from,
				      const void *var, const void *frame)
{
	while (from-- > 0) {
		struct scope_entry *e = &st->entry[from];

		if (frame ? !e->var && e->frame == frame : e->var == var)
			return e;
	}
	return NULL;
}

const struct kref_site *kref_debug_scope_exit_(const void *var, const void *frame,
					       const struct kref_site *fallback)
{
	struct scope_stack *st = scope_stack;
	struct scope_entry *e = st ? scope_find(st, st->depth, var, frame) : NULL;

	if (!e)
		return fallback;
	st->depth = (unsigned int)(e - st->entry);
	return e->site;
}

/* In integers: the offset tried may be another variable's type's. */
static const struct kref *kref_at(const void *object, long offset)
{
	return (const struct kref *)((uintptr_t)object + (uintptr_t)offset);
}

void kref_debug_scope_escape_(const void *var, const void *frame,
			      const void *value, const struct kref_site *site)
{
	struct scope_stack *st = scope_stack;
	struct scope_entry *e;

	if (!st || !value || (uintptr_t)value >= (uintptr_t)-4095)
		return;
	/* A CLASS() variable is known by its address. */
	e = scope_find(st, st->depth, var, NULL);
	if (e) {
		kref_debug_record_escape_(kref_at(value, e->kref_offset), site);
		return;
	}
	/*
	 * A __free() variable is one of its frame's: the one it was
	 * initialised with @value first, then the others (it may have been
	 * assigned since).  Only a live tracked kref at the offset counts.
	 */
	for (int pass = 0; pass < 2; pass++)
		for (unsigned int i = st->depth; (e = scope_find(st, i, NULL, frame));
		     i = (unsigned int)(e - st->entry))
			if ((e->value == value) == !pass &&
			    kref_debug_record_escape_(kref_at(value, e->kref_offset), site))
				return;
}

/* ---- for the tests ---------------------------------------------------- */

unsigned int kref_debug_scope_depth_(void)
{
	return scope_stack ? scope_stack->depth : 0;
}
