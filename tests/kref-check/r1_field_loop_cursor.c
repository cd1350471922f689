/* SPDX-License-Identifier: MIT */
/* Rule 1, a long-lived field filled with a loop cursor: each port keeps
 * the child node it was built from, but the walk's next step puts the
 * cursor's reference, so the port points to a node nobody holds for it. */
#include <stdlib.h>
#include <kref.h>

struct cfg_node { struct kref ref; const char *key; struct cfg_node *first; };
struct port { struct kref ref; struct cfg_node *node; int index; };

/* The next child after prev, with a reference; puts prev. */
struct cfg_node *cfg_next_child(struct cfg_node *parent, struct cfg_node *prev);
int port_register(struct port *p);

static void cfg_node_release(struct kref *ref)
{
	free(container_of(ref, struct cfg_node, ref));
}

void cfg_node_put(struct cfg_node *n)
{
	kref_put(&n->ref, cfg_node_release);
}

static void port_release(struct kref *ref)
{
	free(container_of(ref, struct port, ref));
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
		p->node = child;	/* expect: rule 1 */
		port_register(p);	/* takes over the port's reference */
	}
	return i;
}
