/* SPDX-License-Identifier: MIT */
/*
 * test_refcount.c - every refcount_t operation at the edge values: the value
 * after, the return value, and which saturation event (if any) was reported
 * with the counter already saturated.  The __refcount_*() form of each
 * operation that has one runs the same table and must also store the value
 * before the operation in *oldp.
 */
#include <limits.h>
#include <kref.h>
#include "capture.h"
#include "tap.h"

enum op {
	ADD, INC, ADD_NOT_ZERO, INC_NOT_ZERO, ADD_NOT_ZERO_ACQ, INC_NOT_ZERO_ACQ,
	SUB_AND_TEST, DEC_AND_TEST, DEC, DEC_IF_ONE, DEC_NOT_ONE,
};

static const char *const op_name[] = {
	"refcount_add", "refcount_inc", "refcount_add_not_zero",
	"refcount_inc_not_zero", "refcount_add_not_zero_acquire",
	"refcount_inc_not_zero_acquire", "refcount_sub_and_test",
	"refcount_dec_and_test", "refcount_dec", "refcount_dec_if_one",
	"refcount_dec_not_one",
};

#define VOID	-1	/* the operation returns nothing */
#define NONE	-1	/* no event expected */
#define SAT	REFCOUNT_SATURATED
#define MAX	REFCOUNT_MAX

struct edge_case {
	int before;
	enum op op;
	int arg;
	int ret;	/* 0/1, or VOID */
	int after;
	int event;	/* enum refcount_saturation_type, or NONE */
};

static const struct edge_case cases[] = {
	{ 1,       INC,              0, VOID, 2,       NONE },
	{ MAX - 1, INC,              0, VOID, MAX,     NONE },
	{ MAX,     INC,              0, VOID, SAT,     REFCOUNT_ADD_OVF },
	{ 0,       INC,              0, VOID, SAT,     REFCOUNT_ADD_UAF },
	{ SAT,     INC,              0, VOID, SAT,     REFCOUNT_ADD_OVF },
	{ 2,       ADD,              5, VOID, 7,       NONE },
	{ MAX - 2, ADD,              2, VOID, MAX,     NONE },
	{ MAX - 1, ADD,              2, VOID, SAT,     REFCOUNT_ADD_OVF },
	{ 0,       ADD,              3, VOID, SAT,     REFCOUNT_ADD_UAF },
	{ SAT,     ADD,              3, VOID, SAT,     REFCOUNT_ADD_OVF },
	{ 3,       ADD_NOT_ZERO,     4, 1,    7,       NONE },
	{ 0,       ADD_NOT_ZERO,     4, 0,    0,       NONE },
	{ MAX - 4, ADD_NOT_ZERO,     4, 1,    MAX,     NONE },
	{ MAX - 3, ADD_NOT_ZERO,     4, 1,    SAT,     REFCOUNT_ADD_NOT_ZERO_OVF },
	{ SAT,     ADD_NOT_ZERO,     4, 1,    SAT,     REFCOUNT_ADD_NOT_ZERO_OVF },
	{ 1,       INC_NOT_ZERO,     0, 1,    2,       NONE },
	{ 0,       INC_NOT_ZERO,     0, 0,    0,       NONE },
	{ MAX - 1, INC_NOT_ZERO,     0, 1,    MAX,     NONE },
	{ MAX,     INC_NOT_ZERO,     0, 1,    SAT,     REFCOUNT_ADD_NOT_ZERO_OVF },
	{ SAT,     INC_NOT_ZERO,     0, 1,    SAT,     REFCOUNT_ADD_NOT_ZERO_OVF },
	{ 3,       ADD_NOT_ZERO_ACQ, 2, 1,    5,       NONE },
	{ 0,       ADD_NOT_ZERO_ACQ, 2, 0,    0,       NONE },
	{ MAX,     ADD_NOT_ZERO_ACQ, 2, 1,    SAT,     REFCOUNT_ADD_NOT_ZERO_OVF },
	{ 1,       INC_NOT_ZERO_ACQ, 0, 1,    2,       NONE },
	{ 0,       INC_NOT_ZERO_ACQ, 0, 0,    0,       NONE },
	{ MAX,     INC_NOT_ZERO_ACQ, 0, 1,    SAT,     REFCOUNT_ADD_NOT_ZERO_OVF },
	{ SAT,     INC_NOT_ZERO_ACQ, 0, 1,    SAT,     REFCOUNT_ADD_NOT_ZERO_OVF },
	{ 5,       SUB_AND_TEST,     2, 0,    3,       NONE },
	{ 3,       SUB_AND_TEST,     3, 1,    0,       NONE },
	{ 2,       SUB_AND_TEST,     3, 0,    SAT,     REFCOUNT_SUB_UAF },
	{ 0,       SUB_AND_TEST,     1, 0,    SAT,     REFCOUNT_SUB_UAF },
	{ SAT,     SUB_AND_TEST,     1, 0,    SAT,     REFCOUNT_SUB_UAF },
	{ MAX,     SUB_AND_TEST,     MAX, 1,  0,       NONE },
	/* Out-of-contract amounts: never a true from a count <= 0, never a
	 * saturated counter revived, never a negative live count. */
	{ 0,       SUB_AND_TEST,     0, 0,    SAT,     REFCOUNT_SUB_UAF },
	{ 3,       SUB_AND_TEST,     0, 0,    3,       NONE },
	{ SAT,     SUB_AND_TEST,     0, 0,    SAT,     REFCOUNT_SUB_UAF },
	{ 3,       SUB_AND_TEST,     -1, 0,   SAT,     REFCOUNT_SUB_UAF },
	{ SAT,     SUB_AND_TEST,     INT_MIN, 0, SAT,  REFCOUNT_SUB_UAF },
	{ SAT,     SUB_AND_TEST,     SAT, 0,  SAT,     REFCOUNT_SUB_UAF },
	{ -1,      SUB_AND_TEST,     -1, 0,   SAT,     REFCOUNT_SUB_UAF },
	{ 0,       ADD,              0, VOID, SAT,     REFCOUNT_ADD_UAF },
	{ 3,       ADD,              0, VOID, 3,       NONE },
	{ 3,       ADD,              -3, VOID, SAT,    REFCOUNT_ADD_OVF },
	{ SAT,     ADD,              INT_MIN, VOID, SAT, REFCOUNT_ADD_OVF },
	{ SAT,     ADD,              MAX, VOID, SAT,   REFCOUNT_ADD_OVF },
	{ 3,       ADD_NOT_ZERO,     0, 1,    3,       NONE },
	{ 0,       ADD_NOT_ZERO,     0, 0,    0,       NONE },
	{ 3,       ADD_NOT_ZERO,     -3, 1,   SAT,     REFCOUNT_ADD_NOT_ZERO_OVF },
	{ 0,       ADD_NOT_ZERO,     -1, 0,   SAT,     REFCOUNT_ADD_NOT_ZERO_OVF },
	{ SAT,     ADD_NOT_ZERO,     INT_MIN, 1, SAT,  REFCOUNT_ADD_NOT_ZERO_OVF },
	{ 2,       DEC_AND_TEST,     0, 0,    1,       NONE },
	{ 1,       DEC_AND_TEST,     0, 1,    0,       NONE },
	{ 0,       DEC_AND_TEST,     0, 0,    SAT,     REFCOUNT_SUB_UAF },
	{ SAT,     DEC_AND_TEST,     0, 0,    SAT,     REFCOUNT_SUB_UAF },
	{ MAX,     DEC_AND_TEST,     0, 0,    MAX - 1, NONE },
	{ 2,       DEC,              0, VOID, 1,       NONE },
	{ 1,       DEC,              0, VOID, SAT,     REFCOUNT_DEC_LEAK },
	{ 0,       DEC,              0, VOID, SAT,     REFCOUNT_DEC_LEAK },
	{ SAT,     DEC,              0, VOID, SAT,     REFCOUNT_DEC_LEAK },
	{ 1,       DEC_IF_ONE,       0, 1,    0,       NONE },
	{ 2,       DEC_IF_ONE,       0, 0,    2,       NONE },
	{ 0,       DEC_IF_ONE,       0, 0,    0,       NONE },
	{ SAT,     DEC_IF_ONE,       0, 0,    SAT,     NONE },
	{ 3,       DEC_NOT_ONE,      0, 1,    2,       NONE },
	{ MAX,     DEC_NOT_ONE,      0, 1,    MAX - 1, NONE },
	{ 1,       DEC_NOT_ONE,      0, 0,    1,       NONE },
	{ 0,       DEC_NOT_ONE,      0, 1,    SAT,     REFCOUNT_SUB_UAF },
	{ SAT,     DEC_NOT_ONE,      0, 1,    SAT,     NONE },
	{ -1,      DEC_NOT_ONE,      0, 1,    SAT,     REFCOUNT_SUB_UAF },
};

static int apply(enum op op, int arg, refcount_t *r)
{
	switch (op) {
	case ADD:		refcount_add(arg, r); return VOID;
	case INC:		refcount_inc(r); return VOID;
	case ADD_NOT_ZERO:	return refcount_add_not_zero(arg, r);
	case INC_NOT_ZERO:	return refcount_inc_not_zero(r);
	case ADD_NOT_ZERO_ACQ:	return refcount_add_not_zero_acquire(arg, r);
	case INC_NOT_ZERO_ACQ:	return refcount_inc_not_zero_acquire(r);
	case SUB_AND_TEST:	return refcount_sub_and_test(arg, r);
	case DEC_AND_TEST:	return refcount_dec_and_test(r);
	case DEC:		refcount_dec(r); return VOID;
	case DEC_IF_ONE:	return refcount_dec_if_one(r);
	case DEC_NOT_ONE:	return refcount_dec_not_one(r);
	}
	return VOID;
}

/* The __refcount_*() form of @op, storing the old value in *@oldp; false
 * if @op has none. */
static bool apply_old(enum op op, int arg, refcount_t *r, int *ret, int *oldp)
{
	switch (op) {
	case ADD:		__refcount_add(arg, r, oldp); *ret = VOID; return true;
	case INC:		__refcount_inc(r, oldp); *ret = VOID; return true;
	case ADD_NOT_ZERO:	*ret = __refcount_add_not_zero(arg, r, oldp); return true;
	case INC_NOT_ZERO:	*ret = __refcount_inc_not_zero(r, oldp); return true;
	case ADD_NOT_ZERO_ACQ:	*ret = __refcount_add_not_zero_acquire(arg, r, oldp); return true;
	case INC_NOT_ZERO_ACQ:	*ret = __refcount_inc_not_zero_acquire(r, oldp); return true;
	case SUB_AND_TEST:	*ret = __refcount_sub_and_test(arg, r, oldp); return true;
	case DEC_AND_TEST:	*ret = __refcount_dec_and_test(r, oldp); return true;
	case DEC:		__refcount_dec(r, oldp); *ret = VOID; return true;
	case DEC_IF_ONE:
	case DEC_NOT_ONE:
		break;
	}
	return false;
}

/* The same table through the __refcount_*() forms: same outcome, and
 * *oldp is the value before. */
static void test_edge_cases_oldp(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct edge_case *c = &cases[i];
		refcount_t r = REFCOUNT_INIT(c->before);
		int ret, old = 12345;

		capture_start();
		if (!apply_old(c->op, c->arg, &r, &ret, &old))
			continue;
		ok(ret == c->ret && (int)refcount_read(&r) == c->after &&
		   capture_count() == (c->event != NONE) &&
		   (c->event == NONE || (int)captured_type == c->event),
		   "__%s(%d) on %d: returns %d, leaves %d, reports %d",
		   op_name[c->op], c->arg, c->before, c->ret, c->after, c->event);
		is(old, c->before, "  and *oldp is %d", c->before);
	}
	/* NULL oldp: nothing stored, same result. */
	{
		refcount_t r = REFCOUNT_INIT(1);

		__refcount_inc(&r, NULL);
		ok(!__refcount_dec_and_test(&r, NULL) &&
		   __refcount_dec_and_test(&r, NULL) && refcount_read(&r) == 0,
		   "__refcount_* with oldp NULL behave as the plain names");
	}
}

static void test_edge_cases(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct edge_case *c = &cases[i];
		refcount_t r = REFCOUNT_INIT(c->before);
		int ret;

		capture_start();
		ret = apply(c->op, c->arg, &r);
		is(ret, c->ret, "%s(%d) on %d returns %d", op_name[c->op],
		   c->arg, c->before, c->ret);
		is((int)refcount_read(&r), c->after, "  leaves %d", c->after);
		if (c->event == NONE) {
			is(capture_count(), 0, "  reports nothing");
			continue;
		}
		is(capture_count(), 1, "  reports one event");
		is(captured_type, c->event, "  of type %d", c->event);
		ok(captured_counter == &r && captured_value == SAT,
		   "  for this counter, already saturated when reported");
	}
}

static void test_basics(void)
{
	refcount_t r = REFCOUNT_INIT(7);

	is(sizeof(refcount_t), 4, "refcount_t is 4 bytes");
	is(REFCOUNT_SATURATED, INT_MIN / 2, "REFCOUNT_SATURATED is INT_MIN / 2");
	is(REFCOUNT_MAX, INT_MAX, "REFCOUNT_MAX is INT_MAX");
	is(refcount_read(&r), 7, "REFCOUNT_INIT(7) reads 7");
	refcount_set(&r, 3);
	is(refcount_read(&r), 3, "refcount_set stores");
	refcount_set_release(&r, 9);
	is(refcount_read(&r), 9, "refcount_set_release stores");
	refcount_set(&r, SAT);
	is(refcount_read(&r), (unsigned int)SAT,
	   "a saturated counter reads as (unsigned)REFCOUNT_SATURATED");
}

/* A saturated counter stays saturated whatever is done to it. */
static void test_saturation_is_sticky(void)
{
	refcount_t r = REFCOUNT_INIT(MAX);
	int released = 0;

	capture_start();
	refcount_inc(&r);
	for (int i = 0; i < 1000; i++)
		released += refcount_dec_and_test(&r);
	for (int i = 0; i < 1000; i++)
		refcount_inc(&r);
	is(released, 0, "1000 puts on a saturated counter never return true");
	is((int)refcount_read(&r), SAT, "and leave it saturated");
	is(capture_count(), 2001, "each operation is reported");
}

static void other_handler(refcount_t *r, enum refcount_saturation_type t)
{
	(void)r;
	(void)t;
}

static void test_handler_api(void)
{
	refcount_warn_handler_t prev;

	refcount_set_warn_handler(NULL);
	prev = refcount_set_warn_handler(other_handler);
	ok(prev == refcount_warn_default,
	   "set_warn_handler returns refcount_warn_default when none was set");
	prev = refcount_set_warn_handler(capture_handler);
	ok(prev == other_handler, "set_warn_handler returns the previous handler");
	prev = refcount_set_warn_handler(NULL);
	ok(prev == capture_handler, "set_warn_handler(NULL) returns the handler");
	prev = refcount_set_warn_handler(NULL);
	ok(prev == refcount_warn_default, "and restored the default");
}

int main(void)
{
	test_basics();
	test_edge_cases();
	test_edge_cases_oldp();
	test_saturation_is_sticky();
	test_handler_api();
	return done_testing();
}
