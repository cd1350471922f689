/* SPDX-License-Identifier: MIT */
/*
 * Project: torvalds/linux
 * Path: drivers/iio/accel/mma8452.c
 * Fix commit: cd0082235783f814241a1c9483fb89e405f4f892
 * Bug: mma8452_trigger_setup() stores its trigger in indio_dev->trig without
 * iio_trigger_get(), but the IIO core puts indio_dev->trig when it is done
 * with it, so the trigger's count reaches zero too early and it is used
 * after free.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/mutex.h>
#include "kernel_shim.h"

struct iio_trigger;

struct iio_trigger_ops {
	int (*set_trigger_state)(struct iio_trigger *trig, bool state);
};

struct iio_trigger {
	struct kref ref;	/* the trigger's struct device refcount */
	const struct iio_trigger_ops *ops;
	void *private_data;
	const char *name;
};

struct iio_dev {
	const char *name;
	int id;
	struct iio_trigger *trig;	/* current trigger; put by the core */
	void *priv;
};

struct mma8452_data {
	void *client;
	struct mutex lock;
	int ctrl_reg1;
};

/* allocates a trigger with one reference, which devres drops on unbind */
extern struct iio_trigger *devm_iio_trigger_alloc(void *dev, const char *fmt, ...);
/* adds the trigger to the global trigger list */
extern int iio_trigger_register(struct iio_trigger *trig);
/* removes the trigger from the global trigger list */
extern void iio_trigger_unregister(struct iio_trigger *trig);
/* sets the data ready bit of CTRL_REG4 */
extern int mma8452_data_rdy_trigger_set_state(struct iio_trigger *trig, bool state);

static const struct iio_trigger_ops mma8452_trigger_ops = {
	.set_trigger_state = mma8452_data_rdy_trigger_set_state,
};

static void iio_trig_release(struct kref *ref)
{
	struct iio_trigger *trig = container_of(ref, struct iio_trigger, ref);

	kfree(trig);
}

static inline struct iio_trigger *iio_trigger_get(struct iio_trigger *trig)
{
	if (trig)
		kref_get(&trig->ref);
	return trig;
}

static inline void iio_trigger_put(struct iio_trigger *trig)
{
	kref_put(&trig->ref, iio_trig_release);
}

static inline void iio_trigger_set_drvdata(struct iio_trigger *trig, void *data)
{
	trig->private_data = data;
}

static inline void *iio_priv(struct iio_dev *indio_dev)
{
	return indio_dev->priv;
}

/* IIO core: drops the device's reference to its current trigger */
void iio_device_unregister_trigger_consumer(struct iio_dev *indio_dev)
{
	if (indio_dev->trig)
		iio_trigger_put(indio_dev->trig);
}

int mma8452_trigger_setup(struct iio_dev *indio_dev)
{
	struct mma8452_data *data = iio_priv(indio_dev);
	struct iio_trigger *trig;
	int ret;

	trig = devm_iio_trigger_alloc(data->client, "%s-dev%d",
				      indio_dev->name, indio_dev->id);
	if (!trig)
		return -ENOMEM;

	trig->ops = &mma8452_trigger_ops;
	iio_trigger_set_drvdata(trig, indio_dev);

	ret = iio_trigger_register(trig);
	if (ret)
		return ret;

	indio_dev->trig = trig; /* expect: rule 1 */

	return 0;
}

void mma8452_trigger_cleanup(struct iio_dev *indio_dev)
{
	if (indio_dev->trig)
		iio_trigger_unregister(indio_dev->trig);
}
