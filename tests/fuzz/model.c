/* SPDX-License-Identifier: MIT */
/*
 * model.c - docs/semantics.md, row by row.  Every value is an int64_t, so
 * no sum or difference of two ints can overflow here; each function tests
 * the rows of its table in order and the first that matches decides.
 */
#include "model.h"

static struct model_outcome outcome(int64_t after, int64_t ret,
				    enum model_event event)
{
	struct model_outcome o = { after, ret, event, false, false };

	return o;
}

static bool live(int64_t v)
{
	return v >= 1 && v <= MODEL_INT_MAX;
}

/* ---- refcount_t ------------------------------------------------------- */

struct model_outcome model_refcount_set(int64_t old, int64_t n)
{
	(void)old;
	return outcome(n, MODEL_VOID, MODEL_NO_EVENT);
}

/* refcount_read returns (unsigned int)old: an int's value mod 2^32. */
struct model_outcome model_refcount_read(int64_t old)
{
	int64_t as_unsigned = old < 0 ? old + 4294967296LL : old;

	return outcome(old, as_unsigned, MODEL_NO_EVENT);
}

struct model_outcome model_refcount_add(int64_t old, int64_t i)
{
	if (i >= 0 && live(old) && old + i <= MODEL_INT_MAX)
		return outcome(old + i, MODEL_VOID, MODEL_NO_EVENT);
	if (old == 0)
		return outcome(MODEL_SATURATED, MODEL_VOID, MODEL_ADD_UAF);
	return outcome(MODEL_SATURATED, MODEL_VOID, MODEL_ADD_OVF);
}

struct model_outcome model_refcount_add_not_zero(int64_t old, int64_t i)
{
	if (old == 0 && i >= 0)
		return outcome(0, 0, MODEL_NO_EVENT);
	if (old == 0 && i < 0)
		return outcome(MODEL_SATURATED, 0, MODEL_ADD_NOT_ZERO_OVF);
	if (i >= 0 && live(old) && old + i <= MODEL_INT_MAX)
		return outcome(old + i, 1, MODEL_NO_EVENT);
	return outcome(MODEL_SATURATED, 1, MODEL_ADD_NOT_ZERO_OVF);
}

struct model_outcome model_refcount_sub_and_test(int64_t old, int64_t i)
{
	if (i >= 0 && old > i)
		return outcome(old - i, 0, MODEL_NO_EVENT);
	if (old == i && i > 0)
		return outcome(0, 1, MODEL_NO_EVENT);
	return outcome(MODEL_SATURATED, 0, MODEL_SUB_UAF);
}

struct model_outcome model_refcount_dec(int64_t old)
{
	if (old >= 2)
		return outcome(old - 1, MODEL_VOID, MODEL_NO_EVENT);
	return outcome(MODEL_SATURATED, MODEL_VOID, MODEL_DEC_LEAK);
}

struct model_outcome model_refcount_dec_if_one(int64_t old)
{
	if (old == 1)
		return outcome(0, 1, MODEL_NO_EVENT);
	return outcome(old, 0, MODEL_NO_EVENT);
}

struct model_outcome model_refcount_dec_not_one(int64_t old)
{
	if (old == 1)
		return outcome(1, 0, MODEL_NO_EVENT);
	if (old == MODEL_SATURATED)
		return outcome(MODEL_SATURATED, 1, MODEL_NO_EVENT);
	if (old >= 2)
		return outcome(old - 1, 1, MODEL_NO_EVENT);
	return outcome(MODEL_SATURATED, 1, MODEL_SUB_UAF);
}

/* refcount_dec_and_mutex_lock and refcount_dec_and_lock. */
struct model_outcome model_refcount_dec_and_lock(int64_t old)
{
	struct model_outcome o = model_refcount_dec_not_one(old);

	if (o.ret == 1)
		return outcome(o.after, 0, o.event);
	o = outcome(0, 1, MODEL_NO_EVENT);	/* old == 1 */
	o.locked = true;
	return o;
}

/* ---- struct kref ------------------------------------------------------ */

struct model_outcome model_kref_init(int64_t old)
{
	return model_refcount_set(old, 1);
}

struct model_outcome model_kref_get(int64_t old)
{
	return model_refcount_add(old, 1);
}

struct model_outcome model_kref_get_unless_zero(int64_t old)
{
	return model_refcount_add_not_zero(old, 1);
}

/* kref_put returns 1 exactly when it called the release function. */
struct model_outcome model_kref_put(int64_t old)
{
	struct model_outcome o = model_refcount_sub_and_test(old, 1);

	o.release = o.ret == 1;
	return o;
}

/* kref_put_mutex and kref_put_lock: the release function runs, with the
 * lock held, when refcount_dec_and_mutex_lock would return true. */
struct model_outcome model_kref_put_locked(int64_t old)
{
	struct model_outcome o = model_refcount_dec_and_lock(old);

	o.release = o.ret == 1;
	return o;
}

/* ---- rcuref_t --------------------------------------------------------- */

static int64_t mod32(int64_t v)
{
	return v & 0xFFFFFFFFLL;
}

struct model_outcome model_rcuref_init(int64_t c, int64_t k)
{
	(void)c;
	return outcome(mod32(k - 1), MODEL_VOID, MODEL_NO_EVENT);
}

struct model_outcome model_rcuref_read(int64_t c)
{
	if (c >= MODEL_RCUREF_RELEASED)
		return outcome(c, 0, MODEL_NO_EVENT);
	return outcome(c, c + 1, MODEL_NO_EVENT);
}

/* Released: the zone from RCUREF_RELEASED up to, not including, NOREF,
 * where a last put has not decided yet. */
struct model_outcome model_rcuref_is_dead(int64_t c)
{
	return outcome(c, c >= MODEL_RCUREF_RELEASED && c < MODEL_RCUREF_NOREF,
		       MODEL_NO_EVENT);
}

struct model_outcome model_rcuref_get(int64_t c)
{
	int64_t n = mod32(c + 1);

	if (n <= MODEL_RCUREF_MAXREF)
		return outcome(n, 1, MODEL_NO_EVENT);
	if (n >= MODEL_RCUREF_RELEASED)
		return outcome(MODEL_RCUREF_DEAD, 0, MODEL_NO_EVENT);
	return outcome(MODEL_RCUREF_SATURATED, 1, MODEL_RCUREF_SATURATED_REPORT);
}

/* rcuref_put and rcuref_put_rcusafe. */
struct model_outcome model_rcuref_put(int64_t c)
{
	int64_t n = mod32(c - 1);

	if (n <= MODEL_RCUREF_MAXREF)
		return outcome(n, 0, MODEL_NO_EVENT);
	if (n == MODEL_RCUREF_NOREF)
		return outcome(MODEL_RCUREF_DEAD, 1, MODEL_NO_EVENT);
	if (n >= MODEL_RCUREF_RELEASED)
		return outcome(MODEL_RCUREF_DEAD, 0, MODEL_RCUREF_IMBALANCED_REPORT);
	return outcome(MODEL_RCUREF_SATURATED, 0, MODEL_NO_EVENT);
}

const char *model_event_name(enum model_event e)
{
	switch (e) {
	case MODEL_NO_EVENT:			return "none";
	case MODEL_ADD_NOT_ZERO_OVF:		return "ADD_NOT_ZERO_OVF";
	case MODEL_ADD_OVF:			return "ADD_OVF";
	case MODEL_ADD_UAF:			return "ADD_UAF";
	case MODEL_SUB_UAF:			return "SUB_UAF";
	case MODEL_DEC_LEAK:			return "DEC_LEAK";
	case MODEL_RCUREF_SATURATED_REPORT:	return "\"rcuref saturated\"";
	case MODEL_RCUREF_IMBALANCED_REPORT:	return "\"rcuref imbalanced put\"";
	}
	return "?";
}
