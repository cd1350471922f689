/* SPDX-License-Identifier: MIT */
/*
 * model.h - an executable reading of docs/semantics.md: what each refcount_t,
 * struct kref and rcuref_t operation does from a given starting value, for
 * one thread.  Written from the tables, not from the library, so that the
 * differential fuzzer (fuzz_refcount.c) can hold one against the other.
 * Needs no libkref header: the constants are restated here.
 */
#ifndef KREF_FUZZ_MODEL_H
#define KREF_FUZZ_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#define MODEL_INT_MAX		2147483647LL
#define MODEL_INT_MIN		(-2147483647LL - 1)
#define MODEL_SATURATED		(MODEL_INT_MIN / 2)	/* REFCOUNT_SATURATED */

/* rcuref_t's zones, on the stored value (references - 1) as unsigned. */
#define MODEL_RCUREF_MAXREF	0x7FFFFFFFLL
#define MODEL_RCUREF_SATURATED	0xA0000000LL
#define MODEL_RCUREF_RELEASED	0xC0000000LL
#define MODEL_RCUREF_DEAD	0xE0000000LL
#define MODEL_RCUREF_NOREF	0xFFFFFFFFLL

/* What an operation reports.  The refcount ones are those of
 * refcount_warn_saturate(); the rcuref ones are its two messages. */
enum model_event {
	MODEL_NO_EVENT,
	MODEL_ADD_NOT_ZERO_OVF,
	MODEL_ADD_OVF,
	MODEL_ADD_UAF,
	MODEL_SUB_UAF,
	MODEL_DEC_LEAK,
	MODEL_RCUREF_SATURATED_REPORT,	/* "rcuref saturated - leaking memory" */
	MODEL_RCUREF_IMBALANCED_REPORT,	/* "rcuref - imbalanced put()" */
};

#define MODEL_VOID	(-1LL)	/* ret of an operation that returns nothing */

/*
 * The outcome of one operation.  @after is the counter afterwards: an int
 * for refcount_t and kref, the stored unsigned value for rcuref_t.
 */
struct model_outcome {
	int64_t after;
	int64_t ret;		/* 0 or 1, a read's value, or MODEL_VOID */
	enum model_event event;
	bool locked;		/* holds the lock: on return, or in the release function */
	bool release;		/* a kref's release function runs */
};

/* refcount_t; @old is the counter before, as an int; @i and @n are ints. */
struct model_outcome model_refcount_set(int64_t old, int64_t n);
struct model_outcome model_refcount_read(int64_t old);
struct model_outcome model_refcount_add(int64_t old, int64_t i);
struct model_outcome model_refcount_add_not_zero(int64_t old, int64_t i);
struct model_outcome model_refcount_sub_and_test(int64_t old, int64_t i);
struct model_outcome model_refcount_dec(int64_t old);
struct model_outcome model_refcount_dec_if_one(int64_t old);
struct model_outcome model_refcount_dec_not_one(int64_t old);
struct model_outcome model_refcount_dec_and_lock(int64_t old);

/* struct kref, on its refcount_t's value. */
struct model_outcome model_kref_init(int64_t old);
struct model_outcome model_kref_get(int64_t old);
struct model_outcome model_kref_get_unless_zero(int64_t old);
struct model_outcome model_kref_put(int64_t old);
struct model_outcome model_kref_put_locked(int64_t old);

/* rcuref_t; @c is the stored value, 0 .. 0xFFFFFFFF; @k an unsigned int. */
struct model_outcome model_rcuref_init(int64_t c, int64_t k);
struct model_outcome model_rcuref_read(int64_t c);
struct model_outcome model_rcuref_get(int64_t c);
struct model_outcome model_rcuref_put(int64_t c);
struct model_outcome model_rcuref_is_dead(int64_t c);

const char *model_event_name(enum model_event e);

#endif /* KREF_FUZZ_MODEL_H */
