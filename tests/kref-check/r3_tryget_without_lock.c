/* SPDX-License-Identifier: MIT */
/* Rule 3: kref_get_unless_zero keeps a dying object from being revived,
 * but with neither the lock nor RCU the memory itself may already be gone
 * when the count is read. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct device_ctx {
	struct kref kref;
	int irq;
};

static struct device_ctx *primary;
static pthread_mutex_t primary_lock = PTHREAD_MUTEX_INITIALIZER;

static void device_ctx_release(struct kref *kref)
{
	struct device_ctx *d = container_of(kref, struct device_ctx, kref);

	pthread_mutex_lock(&primary_lock);
	if (primary == d)
		primary = NULL;
	pthread_mutex_unlock(&primary_lock);
	free(d);
}

struct device_ctx *primary_get(void)
{
	struct device_ctx *d = primary;

	if (d && !kref_get_unless_zero(&d->kref))	/* expect: rule 3 */
		d = NULL;
	return d;
}

void device_ctx_put(struct device_ctx *d)
{
	kref_put(&d->kref, device_ctx_release);
}
