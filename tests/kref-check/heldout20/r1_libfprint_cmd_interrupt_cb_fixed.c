/* SPDX-License-Identifier: MIT */
/*
 * Project: freedesktop/libfprint
 * Path: libfprint/drivers/synaptics/synaptics.c
 * Fix commit: 90a1abf2f823ac1fd5915fc750ad2372832858dd
 * Bug: cmd_interrupt_cb() resubmits the interrupt transfer it was called
 * for, but fpi_usb_transfer_submit() steals a reference and the completed
 * submission drops its own reference right after the callback returns, so
 * the resubmitted transfer is freed while it is still queued.
 */
#include <stdlib.h>
#include <kref.h>

#define USB_ASYNC_MESSAGE_PENDING 0x4

struct FpiSsm;
struct FpDevice;
struct FpiUsbTransfer;

typedef void (*FpiUsbTransferCallback)(struct FpiUsbTransfer *transfer,
				       struct FpDevice *device,
				       void *user_data, int error);

struct FpiUsbTransfer {
	struct kref ref;
	struct FpDevice *device;
	struct FpiSsm *ssm;
	unsigned char *buffer;
	FpiUsbTransferCallback callback;
	void *user_data;
};

/* queues the transfer on the USB device; transfer_finish_cb() runs when it completes */
extern void g_usb_device_interrupt_transfer_async(struct FpDevice *device,
						  struct FpiUsbTransfer *transfer,
						  unsigned int timeout_ms,
						  void *cancellable);
/* advances the driver's state machine */
extern void fpi_ssm_next_state(struct FpiSsm *ssm);
/* jumps the state machine to another state */
extern void fpi_ssm_jump_to_state(struct FpiSsm *ssm, int state);
/* fails the state machine with an error */
extern void fpi_ssm_mark_failed(struct FpiSsm *ssm, int error);

#define SYNAPTICS_CMD_GET_RESP 2
#define ERROR_CANCELLED 1

static void fpi_usb_transfer_release(struct kref *ref)
{
	struct FpiUsbTransfer *transfer =
		container_of(ref, struct FpiUsbTransfer, ref);

	free(transfer->buffer);
	free(transfer);
}

struct FpiUsbTransfer *fpi_usb_transfer_ref(struct FpiUsbTransfer *transfer)
{
	kref_get(&transfer->ref);
	return transfer;
}

void fpi_usb_transfer_unref(struct FpiUsbTransfer *transfer)
{
	kref_put(&transfer->ref, fpi_usb_transfer_release);
}

/* (transfer full): the submission owns the caller's reference */
void fpi_usb_transfer_submit(struct FpiUsbTransfer *transfer,
			     unsigned int timeout_ms, void *cancellable,
			     FpiUsbTransferCallback callback, void *user_data)
{
	transfer->callback = callback;
	transfer->user_data = user_data;
	g_usb_device_interrupt_transfer_async(transfer->device, transfer,
					      timeout_ms, cancellable);
}

/* the USB layer calls this once per submission */
void transfer_finish_cb(struct FpiUsbTransfer *transfer, int error)
{
	FpiUsbTransferCallback callback = transfer->callback;

	transfer->callback = NULL;
	callback(transfer, transfer->device, transfer->user_data, error);

	fpi_usb_transfer_unref(transfer);
}

static void cmd_interrupt_cb(struct FpiUsbTransfer *transfer,
			     struct FpDevice *device, void *user_data,
			     int error)
{
	(void)device;
	(void)user_data;
	if (error) {
		if (error == ERROR_CANCELLED) {
			fpi_ssm_jump_to_state(transfer->ssm, SYNAPTICS_CMD_GET_RESP);
			return;
		}
		fpi_ssm_mark_failed(transfer->ssm, error);
		return;
	}

	if (transfer->buffer[0] & USB_ASYNC_MESSAGE_PENDING)
		fpi_ssm_next_state(transfer->ssm);
	else
		fpi_usb_transfer_submit(fpi_usb_transfer_ref(transfer), 1000,
					NULL, cmd_interrupt_cb, NULL);
}

void synaptics_cmd_wait_interrupt(struct FpDevice *dev, struct FpiSsm *ssm,
				  void *interrupt_cancellable)
{
	struct FpiUsbTransfer *transfer;

	transfer = calloc(1, sizeof(*transfer));
	if (!transfer)
		return;
	kref_init(&transfer->ref);
	transfer->buffer = calloc(1, 7);
	if (!transfer->buffer) {
		fpi_usb_transfer_unref(transfer);
		return;
	}
	transfer->device = dev;
	transfer->ssm = ssm;
	fpi_usb_transfer_submit(transfer, 0, interrupt_cancellable,
				cmd_interrupt_cb, NULL);
}
