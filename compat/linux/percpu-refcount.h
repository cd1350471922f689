/* SPDX-License-Identifier: MIT */
/*
 * linux/percpu-refcount.h (libkref compat) - libkref's percpu_ref, with the
 * kernel's percpu_ref_init(ref, release, flags, gfp): the gfp argument is
 * accepted and ignored.
 */
#ifndef KREF_COMPAT_LINUX_PERCPU_REFCOUNT_H
#define KREF_COMPAT_LINUX_PERCPU_REFCOUNT_H

#include <kref.h>
#include <linux/gfp.h>

/* Return: 0, or -ENOMEM. */
#define percpu_ref_init(ref, release, flags, gfp)			\
	((void)(gfp), (percpu_ref_init)((ref), (release), (flags)))

#endif
