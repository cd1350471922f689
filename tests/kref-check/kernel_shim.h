/* SPDX-License-Identifier: MIT */
/*
 * kernel_shim.h - declarations the kernel-style corpus files need beyond
 * compat/linux/: kernel threads, error pointers and work items.  For
 * parsing and syntax checks only; nothing here is linked or run.
 */
#ifndef KREF_CHECK_KERNEL_SHIM_H
#define KREF_CHECK_KERNEL_SHIM_H

#include <errno.h>
#include <stdbool.h>

struct task_struct;
struct task_struct *kthread_run(int (*threadfn)(void *data), void *data,
				const char *namefmt, ...);
int kthread_stop(struct task_struct *task);

static inline bool IS_ERR(const void *ptr)
{
	return (unsigned long)ptr >= (unsigned long)-4095;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

struct work_struct {
	void (*func)(struct work_struct *work);
};

#define INIT_WORK(w, f)	((w)->func = (f))
bool schedule_work(struct work_struct *work);

#define pr_err(...)	((void)0)
#define pr_info(...)	((void)0)

#endif
