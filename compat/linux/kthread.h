/* SPDX-License-Identifier: MIT */
/*
 * linux/kthread.h (libkref compat) - kernel threads on POSIX threads:
 * kthread_create() and wake_up_process(), kthread_run(), kthread_stop(),
 * kthread_stop_put(), kthread_should_stop(), get_task_struct() and
 * put_task_struct().
 *
 * Lifetime, as in the kernel.  The thread holds a reference to its
 * task_struct until threadfn has returned; the pointer kthread_create()
 * returns holds none.  So a thread nobody stops (kthread_run() and forget
 * it, as kref.rst's example does) cleans up after itself: it runs
 * detached, nobody joins it, and its task_struct is freed when it is done.
 * To kthread_stop() a thread that may return on its own first, take a
 * reference before it can, with get_task_struct() between kthread_create()
 * and wake_up_process(), and drop it with kthread_stop_put() (or
 * put_task_struct() after kthread_stop()).  kthread_stop() waits until
 * threadfn has returned and gives its result; on a thread never woken,
 * threadfn does not run and the result is -EINTR.  A process that exits
 * ends the threads still running, as any exit does: wait for what matters
 * first (a kthread_stop(), or the release of the data handed over).
 *
 * Differences: the name goes to task->comm only, not to the system's
 * thread name.  wake_up_process() only starts a thread from
 * kthread_create(), and kthread_stop() wakes nothing else: a threadfn that
 * waits on something of its own must be woken by it.  pthread_create()
 * failing for lack of resources (EAGAIN) is -ENOMEM, as the kernel reports
 * its own allocation failures, so kref.rst's `task == ERR_PTR(-ENOMEM)`
 * catches it.
 */
#ifndef KREF_COMPAT_LINUX_KTHREAD_H
#define KREF_COMPAT_LINUX_KTHREAD_H

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <kref/refcount.h>
#include <linux/err.h>
#include <linux/errno.h>

#define TASK_COMM_LEN	16

struct task_struct {
	char comm[TASK_COMM_LEN];
	/* The rest is libkref compat's, not the kernel's. */
	refcount_t usage;
	pthread_mutex_t lock;		/* protects the fields below */
	pthread_cond_t cond;		/* started or exited changed */
	int (*threadfn)(void *data);
	void *data;
	int result;
	bool started, exited;
	int should_stop;		/* also read without the lock */
};

/* The task of the kthread running on this thread, for
 * kthread_should_stop().  Weak, so that every unit including this header
 * shares one. */
__attribute__((weak)) _Thread_local struct task_struct *kref_compat_current_kthread;

/** get_task_struct - take a reference to @task, which must be alive */
static inline struct task_struct *get_task_struct(struct task_struct *task)
{
	refcount_inc(&task->usage);
	return task;
}

/** put_task_struct - drop a reference; the last one frees @task */
static inline void put_task_struct(struct task_struct *task)
{
	if (!refcount_dec_and_test(&task->usage))
		return;
	pthread_cond_destroy(&task->cond);
	pthread_mutex_destroy(&task->lock);
	free(task);
}

/**
 * kthread_should_stop - whether kthread_stop() was called on this thread
 *
 * Return: true once it was; false outside a kthread.
 */
static inline bool kthread_should_stop(void)
{
	struct task_struct *task = kref_compat_current_kthread;

	/* Acquire, pairing with kthread_stop()'s release: what the stopper
	 * wrote before asking is visible once the thread sees the request. */
	return task && __atomic_load_n(&task->should_stop, __ATOMIC_ACQUIRE);
}

static inline void *kref_compat_kthread_main(void *arg)
{
	struct task_struct *task = (struct task_struct *)arg;
	int result = -EINTR;
	bool run;

	pthread_mutex_lock(&task->lock);
	while (!task->started)
		pthread_cond_wait(&task->cond, &task->lock);
	run = !task->should_stop;
	pthread_mutex_unlock(&task->lock);
	if (run) {
		kref_compat_current_kthread = task;
		result = task->threadfn(task->data);
		kref_compat_current_kthread = NULL;
	}
	pthread_mutex_lock(&task->lock);
	task->result = result;
	task->exited = true;
	pthread_cond_broadcast(&task->cond);
	pthread_mutex_unlock(&task->lock);
	put_task_struct(task);		/* a stopper holds its own */
	return NULL;
}

/**
 * kthread_create - create a thread, not started yet
 * @threadfn: what it runs; its return value is kthread_stop()'s
 * @data: @threadfn's argument
 * @namefmt: printf-style name, for task->comm
 *
 * Return: the task, to pass to wake_up_process(); or ERR_PTR(-ENOMEM) if
 * memory or threads ran out.
 */
static inline __attribute__((format(printf, 3, 4))) struct task_struct *
kthread_create(int (*threadfn)(void *data), void *data,
	       const char *namefmt, ...)
{
	struct task_struct *task =
		(struct task_struct *)calloc(1, sizeof(*task));
	pthread_attr_t attr;
	pthread_t thread;
	va_list ap;
	int err;

	if (!task)
		return (struct task_struct *)ERR_PTR(-ENOMEM);
	va_start(ap, namefmt);
	vsnprintf(task->comm, sizeof(task->comm), namefmt, ap);
	va_end(ap);
	refcount_set(&task->usage, 1);		/* the thread's */
	pthread_mutex_init(&task->lock, NULL);
	pthread_cond_init(&task->cond, NULL);
	task->threadfn = threadfn;
	task->data = data;
	err = pthread_attr_init(&attr);
	if (!err) {
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		err = pthread_create(&thread, &attr, kref_compat_kthread_main,
				     task);
		pthread_attr_destroy(&attr);
	}
	if (err) {
		pthread_cond_destroy(&task->cond);
		pthread_mutex_destroy(&task->lock);
		free(task);
		return (struct task_struct *)ERR_PTR(err == EAGAIN ? -ENOMEM : -err);
	}
	return task;
}

/**
 * wake_up_process - start a thread made by kthread_create()
 *
 * Return: 1 if this started it, 0 if it was running already.
 */
static inline int wake_up_process(struct task_struct *task)
{
	int woke;

	/* Once started, the thread may finish and drop its reference before
	 * we have unlocked. */
	get_task_struct(task);
	pthread_mutex_lock(&task->lock);
	woke = !task->started;
	task->started = true;
	pthread_cond_broadcast(&task->cond);
	pthread_mutex_unlock(&task->lock);
	put_task_struct(task);
	return woke;
}

/**
 * kthread_run - kthread_create() and wake_up_process()
 *
 * Return: the running task, or an error pointer.
 */
#define kthread_run(threadfn, data, ...) (__extension__ ({		\
	struct task_struct *kref_compat_k_ =				\
		kthread_create((threadfn), (data), __VA_ARGS__);	\
	if (!IS_ERR(kref_compat_k_))					\
		wake_up_process(kref_compat_k_);			\
	kref_compat_k_;							\
}))

/**
 * kthread_stop - ask a thread to stop, and wait until it has
 *
 * Sets what kthread_should_stop() returns in the thread, starts it if it
 * was never woken, and waits until its threadfn has returned.  The caller
 * must know @task is alive: see the top of this file.
 *
 * Return: threadfn's result, or -EINTR if it never ran.
 */
static inline int kthread_stop(struct task_struct *task)
{
	int result;

	get_task_struct(task);
	pthread_mutex_lock(&task->lock);
	/* Release: see kthread_should_stop(). */
	__atomic_store_n(&task->should_stop, 1, __ATOMIC_RELEASE);
	task->started = true;
	pthread_cond_broadcast(&task->cond);
	while (!task->exited)
		pthread_cond_wait(&task->cond, &task->lock);
	result = task->result;
	pthread_mutex_unlock(&task->lock);
	put_task_struct(task);
	return result;
}

/** kthread_stop_put - kthread_stop(), then put_task_struct() */
static inline int kthread_stop_put(struct task_struct *task)
{
	int result = kthread_stop(task);

	put_task_struct(task);
	return result;
}

#endif
