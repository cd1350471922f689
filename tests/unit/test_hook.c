/* SPDX-License-Identifier: MIT */
/*
 * test_hook.c - with KREF_ATOMIC_HOOK=1, every operation touches its
 * counter only inside the firmware's critical section: reads and stores
 * as well as read-modify-writes, or they could race a section.
 * tests/common/critical_hook.c counts the sections.  Built in the hook
 * mode only (make check-hook).
 */
#include <limits.h>
#include <kref.h>
#include "capture.h"
#include "tap.h"

#if KREF_ATOMIC_HOOK
extern unsigned long kref_critical_sections;
extern void (*kref_critical_seen)(const int *counter);

static refcount_t r;
static struct kref k;
static rcuref_t rc;
static int sink;		/* keeps the results the API says to check */

static void nop_release(struct kref *ref) { (void)ref; }

static void op_read(void) { sink += (int)refcount_read(&r); }
static void op_set(void) { refcount_set(&r, 2); }
static void op_set_release(void) { refcount_set_release(&r, 2); }
static void op_inc(void) { refcount_inc(&r); }
static void op_dec_and_test(void) { sink += (int)refcount_dec_and_test(&r); }
static void op_inc_not_zero(void) { sink += (int)refcount_inc_not_zero(&r); }
static void op_dec_if_one(void) { sink += (int)refcount_dec_if_one(&r); }
static void op_saturate(void) { refcount_warn_saturate(&r, REFCOUNT_ADD_OVF); }
static void op_kref_get(void) { kref_get(&k); }
static void op_kref_put(void) { sink += (int)kref_put(&k, nop_release); }
static void op_rcuref_get(void) { sink += (int)rcuref_get(&rc); }
static void op_rcuref_read(void) { sink += (int)rcuref_read(&rc); }

static const struct { void (*fn)(void); const char *name; } ops[] = {
	{ op_read, "refcount_read" },
	{ op_set, "refcount_set" },
	{ op_set_release, "refcount_set_release" },
	{ op_inc, "refcount_inc" },
	{ op_dec_and_test, "refcount_dec_and_test" },
	{ op_inc_not_zero, "refcount_inc_not_zero" },
	{ op_dec_if_one, "refcount_dec_if_one" },
	{ op_saturate, "refcount_warn_saturate's store" },
	{ op_kref_get, "kref_get" },
	{ op_kref_put, "kref_put" },
	{ op_rcuref_get, "rcuref_get" },
	{ op_rcuref_read, "rcuref_read" },
};

/* A value a section left in @watched that a racing put would take for a
 * live count. */
static const int *watched;
static int revived;

static void watch(const int *counter)
{
	if (counter == watched && *counter > 0)
		revived = *counter;
}

/*
 * Whatever the amount, an add or sub on a saturated counter (or a large
 * add on a counter at 0) never leaves it live between two sections, where
 * another thread's put could see it and release.
 */
static void test_never_revived(void)
{
	static const int amounts[] = { 1, 4096, 4097, 0x40000001, INT_MAX, -1, INT_MIN };
	static refcount_t t;

	watched = (const int *)&t.refs;
	kref_critical_seen = watch;
	for (unsigned int a = 0; a < sizeof(amounts) / sizeof(amounts[0]); a++) {
		int i = amounts[a], found = 0;

		for (int op = 0; op < 3; op++) {
			refcount_set(&t, REFCOUNT_SATURATED);
			revived = 0;
			if (op == 0)
				refcount_add(i, &t);
			else if (op == 1)
				found |= refcount_sub_and_test(i, &t);
			else
				found |= !refcount_add_not_zero(i, &t);
			found |= revived;
		}
		if (i > 4096) {
			refcount_set(&t, 0);
			revived = 0;
			refcount_add(i, &t);
			found |= revived;
		}
		ok(!found && (int)refcount_read(&t) == REFCOUNT_SATURATED,
		   "amount %d: a saturated counter is never left live", i);
	}
	kref_critical_seen = NULL;
}

int main(void)
{
	capture_start();	/* the saturation is on purpose */
	test_never_revived();
	refcount_set(&r, 2);
	kref_init(&k);
	rcuref_init(&rc, 1);
	for (unsigned int i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		unsigned long before = kref_critical_sections;

		ops[i].fn();
		ok(kref_critical_sections > before, "%s enters a critical section",
		   ops[i].name);
	}
	return done_testing();
}
#else
int main(void)
{
	printf("1..0 # SKIP built without KREF_ATOMIC_HOOK\n");
	return 0;
}
#endif
