/* SPDX-License-Identifier: MIT */
/*
 * linux/slab.h (libkref compat) - kmalloc and friends on malloc, the typed
 * kmalloc_obj() family (the GFP argument is optional, GFP_KERNEL by
 * default, as in the kernel), and __free(kfree).
 */
#ifndef KREF_COMPAT_LINUX_SLAB_H
#define KREF_COMPAT_LINUX_SLAB_H

#include <stdint.h>
#include <stdlib.h>
#include <linux/cleanup.h>
#include <linux/err.h>
#include <linux/gfp.h>

static inline void *kmalloc(size_t size, gfp_t flags)
{
	return flags & __GFP_ZERO ? calloc(1, size) : malloc(size);
}

static inline void *kzalloc(size_t size, gfp_t flags)
{
	(void)flags;
	return calloc(1, size);
}

static inline void kfree(const void *p)
{
	free((void *)(uintptr_t)p);
}

/* Not the kernel's: n * size, or SIZE_MAX (which malloc refuses) if that
 * overflows, as the kernel's size_mul(). */
static inline size_t kref_compat_size_mul(size_t n, size_t size)
{
	size_t bytes;

	return __builtin_mul_overflow(n, size, &bytes) ? SIZE_MAX : bytes;
}

static inline void *kmalloc_array(size_t n, size_t size, gfp_t flags)
{
	return kmalloc(kref_compat_size_mul(n, size), flags);
}

static inline void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	return kzalloc(kref_compat_size_mul(n, size), flags);
}

#define kref_compat_arg1_(a, ...)	a
#define kref_compat_arg2_(a, b, ...)	b
#define kref_compat_objs_(alloc, var, n, gfp) \
	((__typeof__(var) *)alloc(kref_compat_size_mul((n), sizeof(var)), (gfp)))

/*
 * kmalloc_obj(VAR_OR_TYPE[, GFP]): a pointer to a new VAR_OR_TYPE,
 * typed; kmalloc_objs(VAR_OR_TYPE, COUNT[, GFP]): an array of them.
 * The kz forms zero it.  Return: the pointer, or NULL.
 */
#define kmalloc_obj(...)						\
	kref_compat_objs_(kmalloc, kref_compat_arg1_(__VA_ARGS__, ~), 1, \
			  kref_compat_arg2_(__VA_ARGS__, GFP_KERNEL, ~))
#define kzalloc_obj(...)						\
	kref_compat_objs_(kzalloc, kref_compat_arg1_(__VA_ARGS__, ~), 1, \
			  kref_compat_arg2_(__VA_ARGS__, GFP_KERNEL, ~))
#define kmalloc_objs(var, ...)						\
	kref_compat_objs_(kmalloc, var, kref_compat_arg1_(__VA_ARGS__, ~), \
			  kref_compat_arg2_(__VA_ARGS__, GFP_KERNEL, ~))
#define kzalloc_objs(var, ...)						\
	kref_compat_objs_(kzalloc, var, kref_compat_arg1_(__VA_ARGS__, ~), \
			  kref_compat_arg2_(__VA_ARGS__, GFP_KERNEL, ~))

DEFINE_FREE(kfree, void *, if (!IS_ERR_OR_NULL(_T)) kfree(_T))

#endif
