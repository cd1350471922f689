/* SPDX-License-Identifier: MIT */
/* Correct: a channel holds its counted bus by value.  When publishing the
 * bus fails, the first reference is dropped with mix_bus_put(), whose
 * release frees the channel.  A channel whose bus was only initialised,
 * never shown to anyone, may still be freed with kfree on its error path:
 * that reference is the only one.  A channel never initialised is a plain
 * allocation. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct mix_bus {
	int id;
	struct kref ref;
};

struct mix_channel {
	int gain;
	void *samples;
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

static void mix_bus_init(struct mix_bus *bus, int id)
{
	bus->id = id;
	kref_init(&bus->ref);
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
		mix_bus_put(&ch->bus);
		return NULL;
	}
	return ch;
}

struct mix_channel *mix_channel_private(int id)
{
	struct mix_channel *ch = kzalloc(sizeof(*ch), GFP_KERNEL);

	if (!ch)
		return NULL;
	mix_bus_init(&ch->bus, id);
	ch->samples = kzalloc(64, GFP_KERNEL);
	if (!ch->samples) {
		kfree(ch);
		return NULL;
	}
	return ch;
}

struct mix_channel *mix_channel_blank(void)
{
	struct mix_channel *ch = kzalloc(sizeof(*ch), GFP_KERNEL);

	if (!ch)
		return NULL;
	ch->samples = kzalloc(64, GFP_KERNEL);
	if (!ch->samples) {
		kfree(ch);
		return NULL;
	}
	return ch;
}
