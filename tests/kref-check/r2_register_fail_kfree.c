/* SPDX-License-Identifier: MIT */
/* Wrong: mix_bus_add() initialises the counted bus that a channel holds by
 * value and then publishes it; when it fails, the channel is freed with
 * kfree as if it had never been counted.  The publication may have let a
 * reader take the bus, and the count belongs to the bus: drop the first
 * reference with mix_bus_put(), which frees the channel at the last. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct mix_bus {
	int id;
	struct kref ref;
};

struct mix_channel {
	int gain;
	struct mix_bus bus;
};

int mixer_table_attach(struct mix_bus *bus);

static void mix_channel_release(struct kref *ref)
{
	struct mix_bus *bus = container_of(ref, struct mix_bus, ref);

	kfree(container_of(bus, struct mix_channel, bus));
}

void mix_bus_put(struct mix_bus *bus)
{
	kref_put(&bus->ref, mix_channel_release);
}

static int mix_bus_add(struct mix_bus *bus)
{
	kref_init(&bus->ref);
	return mixer_table_attach(bus);
}

struct mix_channel *mix_channel_create(int id, int gain)
{
	struct mix_channel *ch = kzalloc(sizeof(*ch), GFP_KERNEL);

	if (!ch)
		return NULL;
	ch->gain = gain;
	ch->bus.id = id;
	if (mix_bus_add(&ch->bus) < 0) {
		kfree(ch);	/* expect: rule 2 */
		return NULL;
	}
	return ch;
}
