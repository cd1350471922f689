/* SPDX-License-Identifier: MIT */
/*
 * Project: Upipe/upipe
 * Path:    lib/upipe-av/upipe_avcodec_encode.c
 * Fix:     bc5d1ff8b493df58da70dc42099f62adf15d3409
 * Bug:     upipe_avcenc_input() takes one extra use of the pipe when it
 *          starts buffering, but both upipe_avcenc_cb_av_deal() and
 *          upipe_avcenc_check_ubuf_mgr() release the pipe whenever they see
 *          the buffer drained, so the single use can be released twice.
 */
#include <stdbool.h>
#include <kref.h>

struct uref;
struct upump;

struct upipe {
	struct kref refcount;	/* the pipe's urefcount */
};

struct upipe_avcenc {
	struct upump *upump_av_deal;
	/** true if the context will be closed */
	bool close;
	/** true if the pipe needs to be released after output_input */
	bool release_needed;
	/** public upipe structure */
	struct upipe upipe;
};

static inline struct upipe_avcenc *upipe_avcenc_from_upipe(struct upipe *upipe)
{
	return container_of(upipe, struct upipe_avcenc, upipe);
}

/* input helper: true when no uref is held */
extern bool upipe_avcenc_check_input(struct upipe *upipe);
/* input helper: queues the uref in the pipe (the pipe owns the uref) */
extern void upipe_avcenc_hold_input(struct upipe *upipe, struct uref *uref);
/* input helper: blocks/unblocks the source pump */
extern void upipe_avcenc_block_input(struct upipe *upipe, struct upump **upump_p);
extern void upipe_avcenc_unblock_input(struct upipe *upipe);
/* input helper: feeds held urefs to upipe_avcenc_handle() until one is
 * refused; handling may ask for a ubuf manager, whose answer re-enters
 * upipe_avcenc_check_ubuf_mgr() */
extern void upipe_avcenc_output_input(struct upipe *upipe);
/* input helper: frees the held urefs */
extern void upipe_avcenc_flush_input(struct upipe *upipe);
/* encodes one uref; false if the codec is not ready (uref not consumed) */
extern bool upipe_avcenc_handle(struct upipe *upipe, struct uref *uref,
				struct upump **upump_p);
/* opens or closes the codec context; false on failure */
extern bool upipe_avcenc_do_av_deal(struct upipe *upipe);
/* releases the av dealer and frees the pump */
extern void upipe_av_deal_yield(struct upump *upump);
extern void upump_free(struct upump *upump);
/* recovers the pipe from the dealer pump's opaque */
extern struct upipe *upump_get_opaque_upipe(struct upump *upump);
/* stores the requested flow definition */
extern void upipe_avcenc_store_flow_def(struct upipe *upipe, struct uref *flow_format);

/* schedules upipe_avcenc_cb_av_deal() to open or close the codec */
extern void upipe_avcenc_start_av_deal(struct upipe *upipe);
/* frees the pipe's resources and memory once the codec is closed */
extern void upipe_avcenc_free(struct upipe *upipe);

/* last use released: close the codec, the dealer callback frees the pipe */
static void upipe_avcenc_no_ref(struct kref *kref)
{
	struct upipe *upipe = container_of(kref, struct upipe, refcount);
	struct upipe_avcenc *upipe_avcenc = upipe_avcenc_from_upipe(upipe);

	upipe_avcenc->close = true;
	upipe_avcenc_start_av_deal(upipe);
}

void upipe_use(struct upipe *upipe)
{
	kref_get(&upipe->refcount);
}

void upipe_release(struct upipe *upipe)
{
	kref_put(&upipe->refcount, upipe_avcenc_no_ref);
}

void upipe_avcenc_cb_av_deal(struct upump *upump)
{
	struct upipe *upipe = upump_get_opaque_upipe(upump);
	struct upipe_avcenc *upipe_avcenc = upipe_avcenc_from_upipe(upipe);

	bool ret = upipe_avcenc_do_av_deal(upipe);

	upipe_av_deal_yield(upump);
	upump_free(upipe_avcenc->upump_av_deal);
	upipe_avcenc->upump_av_deal = NULL;

	if (upipe_avcenc->close) {
		upipe_avcenc_free(upipe);
		return;
	}

	bool was_buffered = !upipe_avcenc_check_input(upipe);
	if (ret)
		upipe_avcenc_output_input(upipe);
	else
		upipe_avcenc_flush_input(upipe);
	upipe_avcenc_unblock_input(upipe);
	if (was_buffered && upipe_avcenc_check_input(upipe)) {
		/* all packets are out: drop the use taken in upipe_avcenc_input */
		if (upipe_avcenc->release_needed) {
			upipe_release(upipe);
			upipe_avcenc->release_needed = false;
		}
	}
}

void upipe_avcenc_input(struct upipe *upipe, struct uref *uref,
			struct upump **upump_p)
{
	if (!upipe_avcenc_check_input(upipe)) {
		upipe_avcenc_hold_input(upipe, uref);
		upipe_avcenc_block_input(upipe, upump_p);
	} else if (!upipe_avcenc_handle(upipe, uref, upump_p)) {
		upipe_avcenc_hold_input(upipe, uref);
		upipe_avcenc_block_input(upipe, upump_p);
		/* keep the pipe alive until all packets have been sent */
		struct upipe_avcenc *upipe_avcenc = upipe_avcenc_from_upipe(upipe);
		upipe_avcenc->release_needed = true;
		upipe_use(upipe);
	}
}

int upipe_avcenc_check_ubuf_mgr(struct upipe *upipe, struct uref *flow_format)
{
	struct upipe_avcenc *upipe_avcenc = upipe_avcenc_from_upipe(upipe);
	if (flow_format == NULL)
		return 0;

	upipe_avcenc_store_flow_def(upipe, flow_format);

	bool was_buffered = !upipe_avcenc_check_input(upipe);
	upipe_avcenc_output_input(upipe);
	upipe_avcenc_unblock_input(upipe);
	if (was_buffered && upipe_avcenc_check_input(upipe)) {
		/* all packets are out: drop the use taken in upipe_avcenc_input */
		if (upipe_avcenc->release_needed) {
			upipe_release(upipe);
			upipe_avcenc->release_needed = false;
		}
	}

	return 0;
}
