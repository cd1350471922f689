/* SPDX-License-Identifier: MIT */
/*
 * Project:    spdk/spdk
 * Path:       lib/bdev/bdev.c
 * Fix commit: 3be29571df5f1ef14c1836e286b272963aebb40a
 * Bug:        bdev_lock_lba_range_check_io() re-registers itself as a poller
 *             with the channel iterator (and so the I/O channel) as its
 *             argument without a channel reference, so the channel can be
 *             freed while the poller is still pending.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <kref.h>

#define SPDK_POLLER_BUSY	1

struct spdk_poller;
struct spdk_bdev_io;

struct spdk_io_channel {
	struct kref ref;
	void *io_device;
	struct spdk_bdev_io *io_submitted;	/* list of I/O in flight */
};

struct spdk_bdev_io {
	struct spdk_bdev_io *next;
	uint64_t offset, length;
	void *io_device;
};

struct lba_range {
	uint64_t offset, length;
};

struct locked_lba_range_ctx {
	struct lba_range	range;
	struct lba_range	*current_range;
	struct spdk_poller	*poller;
	struct spdk_io_channel	*ch_ref;
};

struct spdk_bdev_channel_iter {
	struct spdk_io_channel *ch;	/* borrowed from the for_each_channel walk */
	struct locked_lba_range_ctx *ctx;
};

typedef int (*spdk_poller_fn)(void *arg);

/* registers fn(arg) to run on this thread every period_us microseconds */
extern struct spdk_poller *SPDK_POLLER_REGISTER(spdk_poller_fn fn, void *arg, uint64_t period_us);
/* unregisters the poller and clears *pp */
extern void spdk_poller_unregister(struct spdk_poller **pp);
/* moves the for_each_channel walk to the next channel */
extern void spdk_bdev_for_each_channel_continue(struct spdk_bdev_channel_iter *i, int status);
/* this thread's channel for io_device, borrowed (NULL if none) */
extern struct spdk_io_channel *thread_channel_lookup(void *io_device);
/* creates this thread's channel for io_device with one reference */
extern struct spdk_io_channel *channel_create(void *io_device);
/* frees a channel whose last reference is gone */
extern void channel_destroy(struct spdk_io_channel *ch);

static void spdk_io_channel_release(struct kref *ref)
{
	channel_destroy(container_of(ref, struct spdk_io_channel, ref));
}

struct spdk_io_channel *spdk_get_io_channel(void *io_device)
{
	struct spdk_io_channel *ch = thread_channel_lookup(io_device);

	if (ch) {
		kref_get(&ch->ref);
		return ch;
	}
	return channel_create(io_device);
}

void spdk_put_io_channel(struct spdk_io_channel *ch)
{
	kref_put(&ch->ref, spdk_io_channel_release);
}

static bool bdev_io_range_is_locked(struct spdk_bdev_io *bdev_io, struct lba_range *range)
{
	return bdev_io->offset < range->offset + range->length &&
	       range->offset < bdev_io->offset + bdev_io->length;
}

int bdev_lock_lba_range_check_io(void *_i)
{
	struct spdk_bdev_channel_iter *i = _i;
	struct spdk_io_channel *ch = i->ch;
	struct locked_lba_range_ctx *ctx = i->ctx;
	struct lba_range *range = ctx->current_range;
	struct spdk_bdev_io *bdev_io;

	spdk_poller_unregister(&ctx->poller);

	/* wait for the I/O in flight that overlaps the range */
	for (bdev_io = ch->io_submitted; bdev_io; bdev_io = bdev_io->next) {
		if (bdev_io_range_is_locked(bdev_io, range)) {
			if (ctx->ch_ref == NULL) {
				/* keep ch alive while the poller runs */
				ctx->ch_ref = spdk_get_io_channel(bdev_io->io_device);
			}
			ctx->poller = SPDK_POLLER_REGISTER(bdev_lock_lba_range_check_io, i, 100);
			return SPDK_POLLER_BUSY;
		}
	}

	if (ctx->ch_ref != NULL) {
		spdk_put_io_channel(ctx->ch_ref);
		ctx->ch_ref = NULL;
	}

	spdk_bdev_for_each_channel_continue(i, 0);
	return SPDK_POLLER_BUSY;
}
