/* SPDX-License-Identifier: MIT */
/*
 * test_kernel_seed.c - the kref article behind the mainline-parity issue
 * ("Importance of Reference Counters (krefs) For Kernel Objects in
 * Linux"), its code written out as a kernel source file would have it and
 * compiled unchanged against the compat headers (-I compat): kmalloc and
 * -ENOMEM, kref_init, Rule 1's kref_get before kthread_run() with IS_ERR()
 * and the put on failure, data_release() with container_of() and kfree(),
 * and Rule 3's global object behind DEFINE_MUTEX.
 *
 * The test only watches: kmalloc() and kfree() are counted through macros
 * defined before the article's code, and pthread_create() can be made to
 * fail (-Wl,--wrap).  Checked: every object is freed exactly once, by the
 * last put, whoever makes it; Rule 3's lookups race the owner's final put
 * 200 times and never get a freed object (ASan and TSan watch); and the
 * article's error path, which puts only the thread's reference, returns
 * with its own still held: a leak the test asserts and then cleans up
 * (kref.rst's version, in test_kref_rst, puts both).
 *
 * Build: -Wl,--wrap=pthread_create
 */
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>
#include "tap.h"

/* ---- the harness's eyes: count allocations and frees ---------------------- */

#include <linux/slab.h>

static atomic_int kmallocs, kfrees;
static sem_t freed;		/* posted by every kfree */
static void *last_kmalloc;

static void *counted_kmalloc(size_t size, gfp_t flags)
{
	void *p = kmalloc(size, flags);

	if (p)
		atomic_fetch_add(&kmallocs, 1);
	last_kmalloc = p;
	return p;
}

static void counted_kfree(const void *p)
{
	kfree(p);
	atomic_fetch_add(&kfrees, 1);
	sem_post(&freed);
}

#define kmalloc(size, flags)	counted_kmalloc((size), (flags))
#define kfree(p)		counted_kfree(p)

#include "fail_create.h"

/* ---- the article's code, unchanged ------------------------------------- */

#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kref.h>
#include <linux/kthread.h>
#include <linux/mutex.h>

struct my_data {
	/* ... your fields ... */
	struct kref refcount;
	/* ... more fields ... */
	int value;
};

void data_release(struct kref *ref)
{
	struct my_data *data = container_of(ref, struct my_data, refcount);

	kfree(data);
}

int more_data_handling(void *cb_data)
{
	struct my_data *data = cb_data;

	/* ... do stuff with data here ... */
	data->value++;
	kref_put(&data->refcount, data_release);
	return 0;
}

int my_data_handler(void)
{
	struct my_data *data;
	struct task_struct *task;

	data = kmalloc(sizeof(*data), GFP_KERNEL);
	if (!data)
		return -ENOMEM;
	kref_init(&data->refcount);
	data->value = 0;

	kref_get(&data->refcount); // take extra ref for the new thread
	task = kthread_run(more_data_handling, data, "more_data");
	if (IS_ERR(task)) {
		kref_put(&data->refcount, data_release);
		return -ENOMEM;
	}

	/* ... do stuff with data here ... */

	kref_put(&data->refcount, data_release);
	return 0;
}

static struct my_data *global_obj;
static DEFINE_MUTEX(obj_lock);

/* The article's race, never called: another thread may put the last
 * reference between the load and the get. */
struct my_data *get_global_obj_wrong(void)
{
	struct my_data *obj = global_obj; // We grab the pointer...

	if (obj)
		kref_get(&obj->refcount); // ...then try to get a ref
	return obj;
}

struct my_data *get_global_obj(void)
{
	struct my_data *obj = NULL;

	mutex_lock(&obj_lock);
	if (global_obj) {
		obj = global_obj;
		kref_get(&obj->refcount); // Safe: cannot be freed right now
	}
	mutex_unlock(&obj_lock);
	return obj;
}

void put_global_obj(struct my_data *obj)
{
	kref_put(&obj->refcount, data_release);
}

/* ---- the owner's side, which the article describes in words ----------- */

/* "Just a global pointer that can be set to NULL": publish an object, the
 * global pointer holding the reference kref_init gave it. */
static int publish_global_obj(int value)
{
	struct my_data *obj = kmalloc(sizeof(*obj), GFP_KERNEL);

	if (!obj)
		return -ENOMEM;
	kref_init(&obj->refcount);
	obj->value = value;
	mutex_lock(&obj_lock);
	global_obj = obj;
	mutex_unlock(&obj_lock);
	return 0;
}

/* Set it to NULL under the lock, then drop the pointer's reference. */
static void unpublish_global_obj(void)
{
	struct my_data *obj;

	mutex_lock(&obj_lock);
	obj = global_obj;
	global_obj = NULL;
	mutex_unlock(&obj_lock);
	if (obj)
		put_global_obj(obj);
}

/* ---- the test ------------------------------------------------------------ */

static void test_rule1(void)
{
	int frees = atomic_load(&kfrees);

	for (int i = 0; i < 50; i++)
		if (my_data_handler() != 0)
			BAIL_OUT("my_data_handler failed");
	for (int i = 0; i < 50; i++)
		sem_wait(&freed);	/* each object's last put */
	is(atomic_load(&kfrees) - frees, 50,
	   "Rule 1: 50 handoffs to kthread_run(), each object freed once, "
	   "by whichever put was last");
	is(atomic_load(&kmallocs), atomic_load(&kfrees), "  nothing else allocated");
}

static void test_rule1_failure(void)
{
	int frees = atomic_load(&kfrees), ret;
	struct my_data *data;

	fail_creates = 1;
	ret = my_data_handler();
	data = last_kmalloc;
	is(ret, -ENOMEM, "kthread_run() failing: IS_ERR(task), -ENOMEM");
	is(atomic_load(&kfrees), frees, "  the thread's reference put, nothing freed");
	is(kref_read(&data->refcount), 1,
	   "  and the article's error path leaks its own reference (kref.rst "
	   "puts it too)");
	put_global_obj(data);		/* what the error path should have done */
	sem_wait(&freed);
	is(atomic_load(&kfrees), frees + 1, "  freed by that missing put");
}

#define ROUNDS		200
#define READERS		2

static atomic_int round_no, lookups, bad_values, stop;

static void *reader(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		struct my_data *obj = get_global_obj();

		if (obj) {
			if (obj->value != atomic_load(&round_no))
				atomic_fetch_add(&bad_values, 1);
			atomic_fetch_add(&lookups, 1);
			put_global_obj(obj);
		}
		sched_yield();	/* leave the mutex to the owner now and then */
	}
	return NULL;
}

static void test_rule3(void)
{
	pthread_t t[READERS];
	int frees = atomic_load(&kfrees);

	for (int i = 0; i < READERS; i++)
		pthread_create(&t[i], NULL, reader, NULL);
	for (int r = 0; r < ROUNDS; r++) {
		int seen;

		atomic_store(&round_no, r);
		if (publish_global_obj(r))
			BAIL_OUT("out of memory");
		/* Let the readers find this one before it goes away. */
		seen = atomic_load(&lookups);
		while (atomic_load(&lookups) < seen + READERS)
			sched_yield();
		unpublish_global_obj();
		sem_wait(&freed);	/* by the owner or by a reader's put */
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < READERS; i++)
		pthread_join(t[i], NULL);
	is(atomic_load(&kfrees) - frees, ROUNDS,
	   "Rule 3: %d objects, each freed once, lookups racing the last put",
	   ROUNDS);
	is(atomic_load(&bad_values), 0,
	   "  every lookup got the live object (%d lookups)", atomic_load(&lookups));
	ok(get_global_obj() == NULL, "  and none after the last was set to NULL");
}

int main(void)
{
	sem_init(&freed, 0, 0);
	test_rule1();
	test_rule1_failure();
	test_rule3();
	ok(get_global_obj_wrong() == NULL,
	   "the article's wrong lookup compiles (called only with nothing to find)");
	is(atomic_load(&kmallocs), atomic_load(&kfrees),
	   "every allocation freed");
	return done_testing();
}
