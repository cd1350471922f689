/* SPDX-License-Identifier: MIT */
/*
 * kernel_shim.h - what the kernel-style corpus files need beyond
 * compat/linux/: work items and pr_err.  Kernel threads and error pointers
 * come from the compat headers.  For parsing and syntax checks only;
 * nothing here is linked or run.
 */
#ifndef KREF_CHECK_KERNEL_SHIM_H
#define KREF_CHECK_KERNEL_SHIM_H

#include <stdbool.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kthread.h>

struct work_struct {
	void (*func)(struct work_struct *work);
};

#define INIT_WORK(w, f)	((w)->func = (f))
bool schedule_work(struct work_struct *work);

#define pr_err(...)	((void)0)
#define pr_info(...)	((void)0)

#endif
