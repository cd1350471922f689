/* SPDX-License-Identifier: MIT */
/*
 * kref/debug_site.h - a call site, as debug mode records it: the file,
 * function and line of a kref call, fixed at compile time.  Included by
 * <kref/debug.h>; also what a wrapper passes on (kref_get_at() and friends,
 * see kref/debug.h).
 */
#ifndef KREF_DEBUG_SITE_H
#define KREF_DEBUG_SITE_H

#include <kref/compiler.h>

KREF_BEGIN_DECLS

/* A call site: static, one per call in the source. */
struct kref_site {
	const char *file;
	const char *func;
	int line;
};

/* The site of the line it is written on (GCC and Clang). */
#define KREF_SITE (__extension__ ({					\
	static const struct kref_site kref_site_ = { __FILE__, __func__, __LINE__ }; \
	&kref_site_;							\
}))

#ifdef __cplusplus
#define KREF_THREAD_LOCAL thread_local
#else
#define KREF_THREAD_LOCAL _Thread_local
#endif

/* The site of the refcount_t operation running on this thread, if any:
 * saturation reports print it.  Owned by the report code (libkref). */
extern KREF_THREAD_LOCAL const struct kref_site *kref_debug_site;

KREF_END_DECLS

#endif /* KREF_DEBUG_SITE_H */
