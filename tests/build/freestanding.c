/* SPDX-License-Identifier: MIT */
/*
 * freestanding.c - uses every core operation; tests/build/headers.sh compiles it
 * with -ffreestanding -nostdlib and checks it needs nothing from libc.
 */
#include <kref/kref.h>

struct obj {
	int data;
	struct kref ref;
};

static struct obj the_obj = { 0, KREF_INIT(1) };
static refcount_t counter = REFCOUNT_INIT(1);

static void obj_release(struct kref *ref)
{
	container_of(ref, struct obj, ref)->data = -1;
}

int freestanding_use(void);
int freestanding_use(void)
{
	int sum = 0;

	kref_init(&the_obj.ref);
	kref_get(&the_obj.ref);
	sum += kref_get_unless_zero(&the_obj.ref);
	sum += kref_put(&the_obj.ref, obj_release);
	sum += (int)kref_read(&the_obj.ref);

	refcount_set(&counter, 2);
	refcount_set_release(&counter, 3);
	refcount_add(2, &counter);
	refcount_inc(&counter);
	sum += refcount_add_not_zero(1, &counter);
	sum += refcount_inc_not_zero(&counter);
	sum += refcount_add_not_zero_acquire(1, &counter);
	sum += refcount_inc_not_zero_acquire(&counter);
	sum += refcount_sub_and_test(2, &counter);
	sum += refcount_dec_and_test(&counter);
	refcount_dec(&counter);
	sum += refcount_dec_if_one(&counter);
	sum += refcount_dec_not_one(&counter);
	return sum + (int)refcount_read(&counter);
}
