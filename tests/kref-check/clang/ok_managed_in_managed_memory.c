/* SPDX-License-Identifier: MIT */
/* Kept: a managed clock is kept in the
 * driver's private data, which the device also manages; neither is put
 * by hand. */
#include <stdlib.h>
#include <kref.h>

struct device;
struct clk { struct kref ref; unsigned long rate; };
struct priv { struct clk *clk; struct device *dev; };

/* Allocates memory that lives as long as the device (devres). */
extern void *devm_kzalloc(struct device *dev, size_t size, int gfp);
/* Returns the device's clock; released automatically when the device goes. */
extern struct clk *devm_clk_get(struct device *dev, const char *id);
extern void dev_set_drvdata(struct device *dev, void *data);

int mydrv_probe(struct device *dev)
{
	struct priv *p = devm_kzalloc(dev, sizeof(*p), 0);

	if (!p)
		return -12;
	p->clk = devm_clk_get(dev, "core");
	if (!p->clk)
		return -2;
	p->dev = dev;
	dev_set_drvdata(dev, p);
	return 0;
}
