/* SPDX-License-Identifier: MIT */
/*
 * test_kref.c - struct kref: counting, release exactly once and only on the
 * last put, misuse that never releases early or twice, container_of.
 */
#include <stdlib.h>
#include <kref.h>
#include "capture.h"
#include "tap.h"

struct thing {
	int before;
	struct kref ref;	/* anywhere in the object */
	int after;
};

static int releases;
static struct thing *released_thing;

/* Counts instead of freeing, so misuse after the release stays testable. */
static void thing_release(struct kref *ref)
{
	released_thing = container_of(ref, struct thing, ref);
	releases++;
}

static void test_layout(void)
{
	struct thing t = { 1, KREF_INIT(3), 2 };

	is(sizeof(struct kref), 4, "struct kref is 4 bytes");
	is(sizeof(struct kref), sizeof(refcount_t), "the size of a refcount_t");
	is(kref_read(&t.ref), 3, "KREF_INIT(3) reads 3");
	ok(container_of(&t.ref, struct thing, ref) == &t,
	   "container_of finds the object from its member");
	ok(container_of(&t.after, struct thing, after) == &t,
	   "container_of works for any member");
}

static void test_lifecycle(void)
{
	struct thing t;

	capture_start();
	releases = 0;
	kref_init(&t.ref);
	is(kref_read(&t.ref), 1, "kref_init sets the count to 1");
	kref_get(&t.ref);
	kref_get(&t.ref);
	is(kref_read(&t.ref), 3, "two gets make 3");
	is(kref_put(&t.ref, thing_release), 0, "put 3->2 returns 0");
	is(kref_put(&t.ref, thing_release), 0, "put 2->1 returns 0");
	is(releases, 0, "release not called while references remain");
	is(kref_put(&t.ref, thing_release), 1, "last put returns 1");
	is(releases, 1, "and called release once");
	ok(released_thing == &t, "with the object's kref");
	is(capture_count(), 0, "correct use reports nothing");
}

static void test_get_unless_zero(void)
{
	struct thing t;

	capture_start();
	kref_init(&t.ref);
	ok(kref_get_unless_zero(&t.ref), "get_unless_zero succeeds on 1");
	is(kref_read(&t.ref), 2, "and counts the reference");
	releases = 0;
	kref_put(&t.ref, thing_release);
	kref_put(&t.ref, thing_release);
	ok(!kref_get_unless_zero(&t.ref), "get_unless_zero fails on 0");
	is(kref_read(&t.ref), 0, "and leaves the count at 0");
	is(capture_count(), 0, "a failed get_unless_zero is not misuse");
}

/* One put too many: reported, and release is not called a second time. */
static void test_put_too_many(void)
{
	struct thing t;

	capture_start();
	releases = 0;
	kref_init(&t.ref);
	kref_put(&t.ref, thing_release);
	is(kref_put(&t.ref, thing_release), 0, "a put after the last returns 0");
	is(releases, 1, "release ran once, not twice");
	is(capture_count(), 1, "the extra put is reported");
	is(captured_type, REFCOUNT_SUB_UAF, "as REFCOUNT_SUB_UAF");
	is((int)kref_read(&t.ref), REFCOUNT_SATURATED, "the count is saturated");
	for (int i = 0; i < 10; i++)
		kref_put(&t.ref, thing_release);
	is(releases, 1, "further puts never release again");
}

/* A get on a released object is reported and cannot resurrect it. */
static void test_get_after_release(void)
{
	struct thing t;

	capture_start();
	releases = 0;
	kref_init(&t.ref);
	kref_put(&t.ref, thing_release);
	kref_get(&t.ref);
	is(capture_count(), 1, "kref_get on 0 is reported");
	is(captured_type, REFCOUNT_ADD_UAF, "as REFCOUNT_ADD_UAF");
	is(kref_put(&t.ref, thing_release), 0, "the matching put does not release");
	is(releases, 1, "release ran only for the real last put");
}

/* Overflow saturates: the object leaks instead of being freed early. */
static void test_overflow(void)
{
	struct thing t;

	capture_start();
	releases = 0;
	refcount_set(&t.ref.refcount, REFCOUNT_MAX);
	kref_get(&t.ref);
	is(captured_type, REFCOUNT_ADD_OVF, "kref_get at REFCOUNT_MAX reports ADD_OVF");
	is((int)kref_read(&t.ref), REFCOUNT_SATURATED, "and saturates");
	for (int i = 0; i < 100; i++)
		kref_put(&t.ref, thing_release);
	is(releases, 0, "no number of puts releases a saturated object");
}

static void free_thing(struct kref *ref)
{
	free(container_of(ref, struct thing, ref));
	releases++;
}

/* The whole point, with real memory: ASan fails this test on a double free. */
static void test_heap_object(void)
{
	struct thing *t = malloc(sizeof(*t));

	if (!t)
		BAIL_OUT("out of memory");
	releases = 0;
	kref_init(&t->ref);
	kref_get(&t->ref);
	kref_put(&t->ref, free_thing);
	is(kref_put(&t->ref, free_thing), 1, "heap object freed by its last put");
	is(releases, 1, "exactly once");
}

int main(void)
{
	test_layout();
	test_lifecycle();
	test_get_unless_zero();
	test_put_too_many();
	test_get_after_release();
	test_overflow();
	test_heap_object();
	return done_testing();
}
