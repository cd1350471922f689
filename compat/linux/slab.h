/* SPDX-License-Identifier: MIT */
/* linux/slab.h (libkref compat) - kmalloc and friends on malloc. */
#ifndef KREF_COMPAT_LINUX_SLAB_H
#define KREF_COMPAT_LINUX_SLAB_H

#include <stdlib.h>

typedef unsigned int gfp_t;
#define GFP_KERNEL	0u
#define GFP_ATOMIC	0u

static inline void *kmalloc(size_t size, gfp_t flags)
{
	(void)flags;
	return malloc(size);
}

static inline void *kzalloc(size_t size, gfp_t flags)
{
	(void)flags;
	return calloc(1, size);
}

static inline void kfree(const void *p)
{
	free((void *)p);
}

#endif
