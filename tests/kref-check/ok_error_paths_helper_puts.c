/* SPDX-License-Identifier: MIT */
/* Correct, kernel style: error paths whose put is not a kref_put in sight.
 * The label calls a helper that ends the old object's life (and puts it);
 * the object being initialised is the caller's, which undoes it; the
 * device's driver data keeps the new object on a success exit (issue 18). */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct device { void *drvdata; };
void dev_set_drvdata(struct device *dev, void *data);

struct cache {
	struct kref kref;
	int valid;
	void *table;
};

static struct cache *current_cache;

static void cache_release(struct kref *kref)
{
	struct cache *c = container_of(kref, struct cache, kref);

	kfree(c->table);
	kfree(c);
}

static void cache_discard(struct cache *c)
{
	c->valid = 0;
	kfree(c->table);
	c->table = NULL;
	pr_info("cache discarded\n");
	kref_put(&c->kref, cache_release);
}

static struct cache *cache_unlink(void)
{
	struct cache *c = current_cache;

	current_cache = NULL;
	return c;
}

int cache_init(struct cache *c)
{
	kref_init(&c->kref);
	c->table = kzalloc(64, GFP_KERNEL);
	if (!c->table)
		return -ENOMEM;
	c->valid = 1;
	return 0;
}

struct cache *cache_get_fresh(int add)
{
	struct cache *old = cache_unlink();
	struct cache *c = NULL;

	if (add) {
		c = kzalloc(sizeof(*c), GFP_KERNEL);
		if (!c)
			goto out;
		if (cache_init(c)) {
			kfree(c);
			c = NULL;
			goto out;
		}
	}
	if (old)
		cache_discard(old);
	return c;
out:
	if (old)
		cache_discard(old);
	return c;
}

int cache_probe(struct device *dev, int quiet)
{
	struct cache *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	kref_init(&c->kref);
	dev_set_drvdata(dev, c);
	if (quiet)
		goto done;
	pr_info("cache ready\n");
	if (!c->valid) {
		dev_set_drvdata(dev, NULL);
		kref_put(&c->kref, cache_release);
		return -EINVAL;
	}
done:
	return 0;
}
