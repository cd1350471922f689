/* SPDX-License-Identifier: MIT */
/* Correct, kernel style: a sensor hands itself as the data of the
 * completion callbacks of requests it keeps: its own status request (a
 * member its teardown kills and frees) and a write request anchored to
 * its list of pending ones (killed in the teardown too).  The teardown
 * stops every callback before the last put, so they need no reference. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct xfer;
struct xfer_anchor { int n; };
struct xfer *xfer_alloc(void);
void xfer_fill(struct xfer *x, void *buf, int len, void (*done)(struct xfer *x, void *ctx), void *ctx);
int xfer_submit(struct xfer *x);
void xfer_anchor(struct xfer *x, struct xfer_anchor *a);
void xfer_kill(struct xfer *x);
void xfer_kill_anchored(struct xfer_anchor *a);
void xfer_free(struct xfer *x);

struct sensor {
	struct kref kref;
	struct xfer *status_req;
	struct xfer_anchor pending;
	char status[8];
	int errors;
};

static void sensor_release(struct kref *kref)
{
	struct sensor *s = container_of(kref, struct sensor, kref);

	xfer_free(s->status_req);
	kfree(s);
}

static void status_done(struct xfer *x, void *ctx)
{
	struct sensor *s = ctx;

	(void)x;
	s->status[0] = 0;
}

static void write_done(struct xfer *x, void *ctx)
{
	struct sensor *s = ctx;

	xfer_free(x);
	s->errors = 0;
}

int sensor_poll(struct sensor *s)
{
	xfer_fill(s->status_req, s->status, sizeof(s->status), status_done, s);
	return xfer_submit(s->status_req);
}

int sensor_write(struct sensor *s, void *buf, int len)
{
	struct xfer *x = xfer_alloc();

	if (!x)
		return -ENOMEM;
	xfer_fill(x, buf, len, write_done, s);
	xfer_anchor(x, &s->pending);
	return xfer_submit(x);
}

void sensor_disconnect(struct sensor *s)
{
	xfer_kill(s->status_req);
	xfer_kill_anchored(&s->pending);
	kref_put(&s->kref, sensor_release);
}
