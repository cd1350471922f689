/* SPDX-License-Identifier: MIT */
/*
 * Project: Upipe/upipe
 * Path: include/upipe/upipe.h (UPIPE_HELPER_ALLOC, upipe_*_alloc_output)
 * Fix commit: dbe65e4f2eb4a5afcfbbab879578ef55f368df20
 * Bug: when allocating the output pipe fails, upipe_void_alloc_output()
 * releases the probe reference that upipe_void_alloc() already consumed
 * and released itself, so the probe is released twice.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <kref.h>

struct uprobe {
	struct kref refcount;
	int (*uprobe_throw)(struct uprobe *uprobe, int event);
	struct uprobe *next;
};

struct upipe_mgr;

struct upipe {
	struct kref refcount;
	struct uprobe *uprobe;	/* owned: one probe reference */
	struct upipe *output;	/* owned: one output reference */
};

/* tears down the probe chain and frees the probe */
extern void uprobe_free(struct uprobe *uprobe);
/* closes the pipe, releases its probe and output, frees it */
extern void upipe_free(struct upipe *upipe);

static void uprobe_release_cb(struct kref *kref)
{
	uprobe_free(container_of(kref, struct uprobe, refcount));
}

static inline void uprobe_release(struct uprobe *uprobe)
{
	if (uprobe)
		kref_put(&uprobe->refcount, uprobe_release_cb);
}

static void upipe_release_cb(struct kref *kref)
{
	upipe_free(container_of(kref, struct upipe, refcount));
}

static inline void upipe_release(struct upipe *upipe)
{
	if (upipe)
		kref_put(&upipe->refcount, upipe_release_cb);
}

/*
 * Allocates a pipe from mgr.  The uprobe reference belongs to the callee:
 * on success it is stored in the new pipe, on failure upipe_alloc()
 * releases it before returning NULL.
 */
extern struct upipe *upipe_void_alloc(struct upipe_mgr *mgr,
				      struct uprobe *uprobe);

/* stores output in upipe (takes its own reference); 0 on success */
extern int upipe_set_output(struct upipe *upipe, struct upipe *output);

/*
 * Allocates a new pipe from upipe_mgr and sets it as the output of upipe.
 * The uprobe reference belongs to the callee.  Returns the output pipe,
 * whose reference the caller must store or release, or NULL.
 */
struct upipe *upipe_void_alloc_output(struct upipe *upipe,
				      struct upipe_mgr *upipe_mgr,
				      struct uprobe *uprobe)
{
	struct upipe *output = upipe_void_alloc(upipe_mgr, uprobe);
	if (output == NULL)
		return NULL;
	if (upipe_set_output(upipe, output) != 0) {
		upipe_release(output);
		return NULL;
	}
	return output;
}
