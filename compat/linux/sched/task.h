/* SPDX-License-Identifier: MIT */
/*
 * linux/sched/task.h (libkref compat) - get_task_struct() and
 * put_task_struct(), which compat's <linux/kthread.h> defines.
 */
#ifndef KREF_COMPAT_LINUX_SCHED_TASK_H
#define KREF_COMPAT_LINUX_SCHED_TASK_H

#include <linux/kthread.h>

#endif
