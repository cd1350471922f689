/* SPDX-License-Identifier: MIT */
/*
 * linux/rcuref.h (libkref compat) - libkref's rcuref_t, the kernel's
 * reference count for objects found under RCU.  The RCU itself comes from
 * <linux/rcupdate.h> (liburcu).
 */
#ifndef KREF_COMPAT_LINUX_RCUREF_H
#define KREF_COMPAT_LINUX_RCUREF_H

#include <kref.h>

#endif
