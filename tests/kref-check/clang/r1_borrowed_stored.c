/* SPDX-License-Identifier: MIT */
/* Rule 1: a pointer a lookup lends is kept in a long-lived field. */
#include <stdlib.h>
#include <kref.h>

struct dev { struct kref ref; int id; };
struct link { struct dev *peer; };

/* Returns the device with this id, borrowed: no reference is taken. */
extern struct dev *dev_by_id(int id);

static void dev_release(struct kref *ref)
{
	free(container_of(ref, struct dev, ref));
}

void link_drop(struct link *l)
{
	kref_put(&l->peer->ref, dev_release);
}

int link_attach(struct link *l, int id)
{
	struct dev *d = dev_by_id(id);

	if (!d)
		return -1;
	l->peer = d;	/* expect: rule 1 */
	return 0;
}
