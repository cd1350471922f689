/* SPDX-License-Identifier: MIT */
/*
 * linux/err.h (libkref compat) - error pointers: a pointer that carries a
 * negative errno value, in the top MAX_ERRNO addresses, which no object
 * occupies.
 */
#ifndef KREF_COMPAT_LINUX_ERR_H
#define KREF_COMPAT_LINUX_ERR_H

#include <stdbool.h>
#include <stdint.h>
#include <kref/compiler.h>
#include <linux/errno.h>

#define MAX_ERRNO	KREF_MAX_ERRNO

#define IS_ERR_VALUE(x) \
	kref_unlikely((uintptr_t)(x) >= (uintptr_t)-MAX_ERRNO)

/** ERR_PTR - the pointer that stands for @error (-MAX_ERRNO .. -1) */
static inline KREF_MUST_CHECK void *ERR_PTR(long error)
{
	return (void *)(intptr_t)error;
}

/** PTR_ERR - the error an error pointer stands for */
static inline KREF_MUST_CHECK long PTR_ERR(const void *ptr)
{
	return (long)(intptr_t)ptr;
}

/** IS_ERR - whether @ptr is an error pointer */
static inline KREF_MUST_CHECK bool IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE(ptr);
}

/** IS_ERR_OR_NULL - whether @ptr is NULL or an error pointer */
static inline KREF_MUST_CHECK bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR_VALUE(ptr);
}

/** ERR_CAST - an error pointer, as a pointer of another type */
static inline KREF_MUST_CHECK void *ERR_CAST(const void *ptr)
{
	return (void *)(uintptr_t)ptr;
}

/** PTR_ERR_OR_ZERO - @ptr's error, or 0 if it is not an error pointer */
static inline KREF_MUST_CHECK int PTR_ERR_OR_ZERO(const void *ptr)
{
	return IS_ERR(ptr) ? (int)PTR_ERR(ptr) : 0;
}

#endif
