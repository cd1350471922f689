/* SPDX-License-Identifier: MIT */
/*
 * linux/gfp.h (libkref compat) - allocation flags.  malloc() has no
 * context to respect, so all but __GFP_ZERO are accepted and ignored.
 */
#ifndef KREF_COMPAT_LINUX_GFP_H
#define KREF_COMPAT_LINUX_GFP_H

typedef unsigned int gfp_t;

#define __GFP_ZERO	0x100u
#define GFP_KERNEL	0u
#define GFP_ATOMIC	0u
#define GFP_NOWAIT	0u
#define GFP_NOIO	0u
#define GFP_NOFS	0u
#define GFP_USER	0u

#endif
