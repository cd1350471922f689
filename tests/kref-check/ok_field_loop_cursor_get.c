/* SPDX-License-Identifier: MIT */
/* Correct: each port takes its own reference on the child node it keeps
 * before the walk's next step puts the cursor's, and drops it in its
 * release. */
#include <stdlib.h>
#include <kref.h>

struct cfg_node { struct kref ref; const char *key; struct cfg_node *first; };
struct port { struct kref ref; struct cfg_node *node; int index; };

struct cfg_node *cfg_next_child(struct cfg_node *parent, struct cfg_node *prev);
int port_register(struct port *p);

static void cfg_node_release(struct kref *ref)
{
	free(container_of(ref, struct cfg_node, ref));
}

struct cfg_node *cfg_node_get(struct cfg_node *n)
{
	kref_get(&n->ref);
	return n;
}

void cfg_node_put(struct cfg_node *n)
{
	kref_put(&n->ref, cfg_node_release);
}

static void port_release(struct kref *ref)
{
	struct port *p = container_of(ref, struct port, ref);

	cfg_node_put(p->node);
	free(p);
}

int ports_scan(struct cfg_node *parent)
{
	struct cfg_node *child;
	int i = 0;

	for (child = cfg_next_child(parent, NULL); child; child = cfg_next_child(parent, child)) {
		struct port *p = calloc(1, sizeof(*p));

		if (!p) {
			cfg_node_put(child);
			return -1;
		}
		kref_init(&p->ref);
		p->index = i++;
		p->node = cfg_node_get(child);
		port_register(p);	/* takes over the port's reference */
	}
	return i;
}
