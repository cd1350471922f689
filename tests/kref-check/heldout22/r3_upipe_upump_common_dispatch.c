/* SPDX-License-Identifier: MIT */
/*
 * Project: Upipe/upipe
 * Path:    lib/upipe/upump_common.c
 * Fix:     3d4e9155c6129dab2194ee2e870d12bb3a7eb63d
 * Bug:     upump_common_dispatch() checks that the borrowed refcount of the
 *          pump's owner is not dead and then takes a plain reference, so the
 *          last release can run between the check and the increment and the
 *          callback runs on a pipe that is being freed.
 */
#include <kref.h>
#include <stdbool.h>
#include <stddef.h>

struct urefcount;
typedef void (*urefcount_cb)(struct urefcount *);

/* embedded in the object that owns the pump (a pipe) */
struct urefcount {
	struct kref refcount;
	urefcount_cb cb;	/* frees the object */
};

struct upump {
	/* pointer to the owner's refcount; the pump holds no reference */
	struct urefcount *refcount;
	void (*cb)(struct upump *);
	void *opaque;
};

static void urefcount_release_kref(struct kref *kref)
{
	struct urefcount *refcount =
		container_of(kref, struct urefcount, refcount);

	refcount->cb(refcount);
}

static inline bool urefcount_dead(struct urefcount *refcount)
{
	return kref_read(&refcount->refcount) == 0;
}

static inline void urefcount_release(struct urefcount *refcount)
{
	if (refcount != NULL)
		kref_put(&refcount->refcount, urefcount_release_kref);
}

/** @This dispatches a pump.
 *
 * @param upump description structure of the pump
 */
void upump_common_dispatch(struct upump *upump)
{
	struct urefcount *refcount =
		upump->refcount != NULL && !urefcount_dead(upump->refcount) ?
		upump->refcount : NULL;
	if (refcount != NULL)
		kref_get(&refcount->refcount); /* expect: rule 3 */
	upump->cb(upump);
	urefcount_release(refcount);
}
