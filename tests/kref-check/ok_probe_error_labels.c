/* SPDX-License-Identifier: MIT */
/* Correct, kernel style: free before kref_init, put after it, each error
 * label in its place. */
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct card { struct kref kref; struct mutex lock; void *regs; void *dma; };

static void card_release(struct kref *kref)
{
	struct card *c = container_of(kref, struct card, kref);
	kfree(c->dma);
	kfree(c->regs);
	kfree(c);
}

int card_register(struct card *c);

int card_probe(void)
{
	struct card *c;
	int ret;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->regs = kmalloc(64, GFP_KERNEL);
	if (!c->regs) {
		ret = -ENOMEM;
		goto err_free_card;
	}
	kref_init(&c->kref);
	mutex_init(&c->lock);
	c->dma = kmalloc(4096, GFP_KERNEL);
	if (!c->dma) {
		ret = -ENOMEM;
		goto err_put;
	}
	ret = card_register(c);
	if (ret)
		goto err_put;
	return 0;

err_put:
	kref_put(&c->kref, card_release);
	return ret;
err_free_card:
	kfree(c);
	return ret;
}
