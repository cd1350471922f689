/* SPDX-License-Identifier: MIT */
/* Kept: a polling helper that calls the condition until it
 * holds or the timeout passes, then returns: synchronous, it keeps
 * nothing (like the kernel's read_poll_timeout). */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

struct device { struct kref ref; volatile int status; };

/* Calls cond(dev) every poll_us until it returns true or timeout_us
 * passes; returns 0 or -ETIMEDOUT. */
extern int poll_until_timeout(struct device *dev, bool (*cond)(struct device *),
			      unsigned poll_us, unsigned timeout_us);

static bool dev_ready(struct device *dev)
{
	return dev->status & 1;
}

static void dev_release(struct kref *ref)
{
	free(container_of(ref, struct device, ref));
}

int dev_wait_ready(struct device *dev)
{
	return poll_until_timeout(dev, dev_ready, 10, 1000);
}

int dev_reset(struct device *dev)
{
	int ret;

	kref_get(&dev->ref);
	dev->status = 0;
	ret = poll_until_timeout(dev, dev_ready, 10, 5000);
	kref_put(&dev->ref, dev_release);
	return ret;
}
