/* SPDX-License-Identifier: MIT */
/*
 * linux/errno.h (libkref compat) - the error numbers, which are the same
 * in the kernel and the C library on Linux, and the kernel-internal ones
 * kernel code returns (never seen by user space there).
 *
 * glibc's <errno.h> itself includes <linux/errno.h> for the numbers and,
 * with -I compat, gets this file: so take them from <asm/errno.h>, as the
 * real <linux/errno.h> does.
 */
#ifndef KREF_COMPAT_LINUX_ERRNO_H
#define KREF_COMPAT_LINUX_ERRNO_H

#include <asm/errno.h>
#include <errno.h>

#ifndef ERESTARTSYS
#define ERESTARTSYS	512
#endif
#ifndef ERESTARTNOINTR
#define ERESTARTNOINTR	513
#endif
#ifndef ENOIOCTLCMD
#define ENOIOCTLCMD	515
#endif
#ifndef EPROBE_DEFER
#define EPROBE_DEFER	517
#endif
#ifndef ENOTSUPP
#define ENOTSUPP	524
#endif

#endif
