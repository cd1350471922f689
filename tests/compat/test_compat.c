/* SPDX-License-Identifier: MIT */
/*
 * test_compat.c - the compat headers' kernel names, one by one, built with
 * -I compat: <linux/err.h>, kmalloc_obj() and friends, <linux/kthread.h>
 * (start, stop, never woken, should_stop, the task's lifetime), the
 * irqsave spinlock calls, refcount_dec_and_lock_irqsave(), the kernel's
 * mutex and spinlock guards, <linux/rcuref.h> and <linux/percpu-refcount.h>
 * with percpu_ref_init()'s gfp argument.
 */
#include <limits.h>
#include <stdint.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <string.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kref.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/percpu-refcount.h>
#include <linux/rcuref.h>
#include <linux/refcount.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "tap.h"

static void test_err(void)
{
	void *e = ERR_PTR(-ENOMEM);
	int x;

	ok(IS_ERR(e) && PTR_ERR(e) == -ENOMEM, "ERR_PTR(-ENOMEM): IS_ERR, PTR_ERR");
	ok(IS_ERR(ERR_PTR(-MAX_ERRNO)) && !IS_ERR(ERR_PTR(-MAX_ERRNO - 1)),
	   "  the top MAX_ERRNO addresses are errors, no others");
	ok(!IS_ERR(&x) && !IS_ERR(NULL) && IS_ERR_OR_NULL(NULL) &&
	   IS_ERR_OR_NULL(e) && !IS_ERR_OR_NULL(&x), "IS_ERR_OR_NULL");
	ok(PTR_ERR_OR_ZERO(e) == -ENOMEM && PTR_ERR_OR_ZERO(&x) == 0 &&
	   PTR_ERR_OR_ZERO(NULL) == 0, "PTR_ERR_OR_ZERO");
	ok(ERR_CAST((const void *)e) == e && IS_ERR_VALUE(-EINTR) &&
	   !IS_ERR_VALUE(0), "ERR_CAST, IS_ERR_VALUE");
	ok(EPROBE_DEFER == 517 && ERESTARTSYS == 512 && ENOMEM == 12,
	   "<linux/errno.h>: the C library's numbers and the kernel's own");
}

struct pair {
	long a, b;
};

static void test_slab(void)
{
	struct pair *p = kmalloc_obj(*p);
	struct pair *z = kzalloc_obj(struct pair, GFP_ATOMIC);
	int *v = kzalloc_objs(int, 8);
	long *w = kmalloc_objs(*w, 4, GFP_KERNEL);

	_Static_assert(__builtin_types_compatible_p(__typeof__(kmalloc_obj(*p)),
						    struct pair *),
		       "kmalloc_obj(*p) is typed");
	ok(p && z && v && w, "kmalloc_obj, kzalloc_obj, kzalloc_objs, kmalloc_objs");
	ok(z->a == 0 && z->b == 0 && v[0] == 0 && v[7] == 0, "  the kz forms zero");
	p->a = 1;
	w[3] = 2;
	ok(kref_compat_size_mul(SIZE_MAX / 2, 4) == SIZE_MAX &&
	   kref_compat_size_mul(3, 4) == 12,
	   "  an overflowing size is SIZE_MAX, which malloc refuses, not a wrap");
	kfree(p);
	kfree(z);
	kfree(v);
	kfree(w);
	kfree(NULL);
	{
		struct pair *q __free(kfree) = kmalloc_obj(*q);
		struct pair *err __free(kfree) = ERR_PTR(-ENOMEM);

		ok(q != NULL, "__free(kfree): freed at scope exit, error pointers "
		   "skipped (ASan checks)");
		(void)err;
	}
}

static sem_t started;
static atomic_int ran;

static int stopper_fn(void *data)
{
	atomic_fetch_add(&ran, 1);
	sem_post(&started);
	while (!kthread_should_stop())
		sched_yield();
	return *(int *)data;
}

static int quick_fn(void *data)
{
	atomic_fetch_add(&ran, 1);
	sem_post(&started);
	return *(int *)data + 1;
}

static void test_kthread(void)
{
	int value = 41;
	struct task_struct *t = kthread_create(stopper_fn, &value, "worker/%d", 3);

	ok(!IS_ERR(t) && !strcmp(t->comm, "worker/3"),
	   "kthread_create: a task named \"worker/3\"");
	get_task_struct(t);
	is(atomic_load(&ran), 0, "  not running before wake_up_process");
	is(wake_up_process(t), 1, "wake_up_process starts it");
	is(wake_up_process(t), 0, "  once");
	sem_wait(&started);
	ok(!kthread_should_stop(), "kthread_should_stop() is false outside a kthread");
	is(kthread_stop_put(t), 41, "kthread_stop: should_stop seen, its result returned");

	t = kthread_create(stopper_fn, &value, "never");
	get_task_struct(t);
	is(kthread_stop(t), -EINTR, "kthread_stop on a thread never woken: -EINTR");
	put_task_struct(t);
	is(atomic_load(&ran), 1, "  and its function never ran");

	/* A thread that returns by itself, kept stoppable by a reference
	 * taken before it runs. */
	t = kthread_create(quick_fn, &value, "quick");
	get_task_struct(t);
	wake_up_process(t);
	sem_wait(&started);
	is(kthread_stop_put(t), 42, "kthread_stop on a thread that returns by itself: "
	   "its result, the task kept alive by get_task_struct");
}

static void test_spinlock(void)
{
	DEFINE_SPINLOCK(lock);
	refcount_t r = REFCOUNT_INIT(2);
	unsigned long flags = 99;
	int got;

	spin_lock_irqsave(&lock, flags);
	got = spin_trylock(&lock);
	spin_unlock_irqrestore(&lock, flags);
	ok(got == 0 && flags == 0, "spin_lock_irqsave: held, flags 0");
	ok(spin_trylock_irqsave(&lock, flags), "spin_trylock_irqsave takes a free lock");
	spin_unlock_irqrestore(&lock, flags);
	spin_lock_irq(&lock);
	spin_unlock_irq(&lock);
	spin_lock_bh(&lock);
	spin_unlock_bh(&lock);

	flags = 99;
	ok(!refcount_dec_and_lock_irqsave(&r, &lock, &flags) && refcount_read(&r) == 1 &&
	   spin_trylock(&lock), "refcount_dec_and_lock_irqsave 2 -> 1: false, unlocked");
	spin_unlock(&lock);
	ok(refcount_dec_and_lock_irqsave(&r, &lock, &flags) && refcount_read(&r) == 0 &&
	   !spin_trylock(&lock) && flags == 0,
	   "  1 -> 0: true, with the lock held and flags saved");
	spin_unlock_irqrestore(&lock, flags);
}

static DEFINE_MUTEX(m);

static int mutex_free(void)
{
	if (!mutex_trylock(&m))
		return 0;
	mutex_unlock(&m);
	return 1;
}

static void test_guards(void)
{
	DEFINE_SPINLOCK(lock);
	int inside = -1, ran_body = 0;

	{
		guard(mutex)(&m);
		inside = mutex_free();
	}
	ok(inside == 0 && mutex_free(), "guard(mutex): held in scope, not after");
	mutex_lock(&m);
	scoped_guard(mutex_try, &m)
		ran_body = 1;
	mutex_unlock(&m);
	ok(!ran_body && mutex_free(), "scoped_guard(mutex_try) on a held mutex skips");
	scoped_guard(mutex_intr, &m)
		ran_body = !mutex_free();
	ok(ran_body && mutex_free(), "scoped_guard(mutex_intr) takes it");
	{
		ACQUIRE(mutex_try, g)(&m);

		ok(__guard_ptr(mutex_try)(&g) == &m && __guard_err(mutex_try)(&g) == 0 &&
		   __is_cond_ptr(mutex_try) && !__is_cond_ptr(mutex),
		   "__guard_ptr, __guard_err, __is_cond_ptr");
	}
	ok(mutex_free(), "  ACQUIRE(mutex_try) released");
	{
		guard(spinlock_irqsave)(&lock);
		inside = spin_trylock(&lock);
	}
	ok(inside == 0 && spin_trylock(&lock), "guard(spinlock_irqsave): held in scope");
	ran_body = 0;
	scoped_guard(spinlock_try, &lock)
		ran_body = 1;
	spin_unlock(&lock);
	ok(!ran_body, "scoped_guard(spinlock_try) on a held lock skips");
	scoped_guard(spinlock, &lock)
		inside = spin_trylock(&lock);
	ok(inside == 0 && spin_trylock(&lock), "scoped_guard(spinlock): held, then free");
	spin_unlock(&lock);
	scoped_guard(spinlock_irqsave_try, &lock)
		inside = 7;
	ok(inside == 7 && spin_trylock(&lock), "scoped_guard(spinlock_irqsave_try)");
	spin_unlock(&lock);
}

static int released;

static void pcpu_release(struct percpu_ref *ref)
{
	(void)ref;
	released++;
}

static void test_refs(void)
{
	struct percpu_ref ref;
	rcuref_t rr;

	is(percpu_ref_init(&ref, pcpu_release, 0, GFP_KERNEL), 0,
	   "percpu_ref_init(ref, release, flags, gfp): the kernel's four arguments");
	percpu_ref_get(&ref);
	percpu_ref_put(&ref);
	percpu_ref_kill(&ref);
	ok(released == 1 && percpu_ref_is_zero(&ref), "  killed: released once");
	percpu_ref_exit(&ref);

	rcuref_init(&rr, 1);
	ok(rcuref_get(&rr) && !rcuref_put(&rr) && rcuref_put(&rr) && !rcuref_get(&rr),
	   "<linux/rcuref.h>: get, put, last put, no get after");
}

int main(void)
{
	sem_init(&started, 0, 0);
	test_err();
	test_slab();
	test_kthread();
	test_spinlock();
	test_guards();
	test_refs();
	return done_testing();
}
