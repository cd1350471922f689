/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r1_alsa_seq_create_port.c (own code): torvalds/linux
 * commit 71105998845fb012937332fe2e806d443c09e026, sound/core/seq/.
 * snd_seq_create_port() takes a reference for its caller before it
 * publishes the port; the ioctl drops it once it is done with the port.
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct seq_client { struct mutex ports_mutex; struct list_head ports_list_head; };
struct seq_port { struct kref use_lock; struct list_head list; int addr; char name[64]; };

static void port_free(struct kref *ref)
{
	kfree(container_of(ref, struct seq_port, use_lock));
}

void snd_seq_port_unlock(struct seq_port *port)
{
	kref_put(&port->use_lock, port_free);
}

struct seq_port *snd_seq_create_port(struct seq_client *client, int port_index)
{
	struct seq_port *new_port = kzalloc(sizeof(*new_port), GFP_KERNEL);

	if (!new_port)
		return NULL;
	kref_init(&new_port->use_lock);	/* the list's reference */
	new_port->addr = port_index;
	kref_get(&new_port->use_lock);	/* the caller's */
	mutex_lock(&client->ports_mutex);
	list_add_tail(&new_port->list, &client->ports_list_head);
	mutex_unlock(&client->ports_mutex);
	return new_port;
}

int snd_seq_ioctl_create_port(struct seq_client *client, int index, const char *name)
{
	struct seq_port *port = snd_seq_create_port(client, index);

	if (!port)
		return -ENOMEM;
	port->name[0] = name[0];
	snd_seq_port_unlock(port);
	return 0;
}
