/* SPDX-License-Identifier: MIT */
/*
 * Project: fwupd/fwupd
 * Path:    plugins/modem-manager/fu-dfota-updater.c
 * Fix:     8445160e82aac0bfd8d85bd64057dc410678b0c6
 *          ("modem-manager: Hold a reference to the FuIOChannel when using
 *          DFOTA")
 * Bug: fu_dfota_updater_new() keeps the modem's FuIOChannel in the updater
 * without a reference, so the updater's copy dangles once the device closes
 * its port and drops the channel.
 *
 * The GObject counts of FuIOChannel and FuDfotaUpdater are struct krefs.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <kref.h>

typedef struct _GBytes GBytes;

typedef struct {
	struct kref ref;
	int fd;
} FuIOChannel;

typedef struct {
	struct kref ref;
	FuIOChannel *io_channel;
} FuDfotaUpdater;

typedef struct {
	FuIOChannel *io_channel;	/* the device's reference */
	FuDfotaUpdater *dfota_updater;	/* the device's reference */
} FuMmDevice;

/* opens the AT port: sets self->io_channel to a new channel (count 1) */
extern bool fu_mm_device_io_open(FuMmDevice *self);
/* shuts the channel down; the data it returns is new */
extern bool fu_io_channel_shutdown(FuIOChannel *self);
extern GBytes *fu_io_channel_read_bytes(FuIOChannel *self, size_t count,
					unsigned timeout_ms);

static void fu_io_channel_finalize(struct kref *ref)
{
	free(container_of(ref, FuIOChannel, ref));
}

static void fu_dfota_updater_finalize(struct kref *ref)
{
	FuDfotaUpdater *self = container_of(ref, FuDfotaUpdater, ref);

	free(self);
}

FuDfotaUpdater *fu_dfota_updater_new(FuIOChannel *io_channel)
{
	FuDfotaUpdater *self = calloc(1, sizeof(*self));

	if (self == NULL)
		return NULL;
	kref_init(&self->ref);
	self->io_channel = io_channel; /* expect: rule 1 */
	return self;
}

void fu_dfota_updater_unref(FuDfotaUpdater *self)
{
	kref_put(&self->ref, fu_dfota_updater_finalize);
}

bool fu_dfota_updater_open(FuDfotaUpdater *self)
{
	return self->io_channel != NULL;
}

GBytes *fu_dfota_updater_read_result(FuDfotaUpdater *self)
{
	return fu_io_channel_read_bytes(self->io_channel, 128, 90000);
}

bool fu_mm_device_io_open_dfota(FuMmDevice *self)
{
	if (!fu_mm_device_io_open(self))
		return false;

	self->dfota_updater = fu_dfota_updater_new(self->io_channel);
	if (self->dfota_updater == NULL)
		return false;
	return fu_dfota_updater_open(self->dfota_updater);
}

bool fu_mm_device_io_close(FuMmDevice *self)
{
	if (self->io_channel != NULL) {
		if (!fu_io_channel_shutdown(self->io_channel))
			return false;
		kref_put(&self->io_channel->ref, fu_io_channel_finalize);
		self->io_channel = NULL;
	}
	return true;
}
