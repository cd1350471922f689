/* SPDX-License-Identifier: MIT */
/* Rule 3: a slot passed by address is swapped with an atomic exchange and
 * its old value put; a reader loads the slot and gets it with a plain get:
 * the exchange and put can free the object between the load and the get. */
#include <stdlib.h>
#include <kref.h>

struct cfg { struct kref ref; int generation; };

static void cfg_release(struct kref *ref)
{
	free(container_of(ref, struct cfg, ref));
}

void cfg_publish(struct cfg **slot, struct cfg *fresh)
{
	struct cfg *old = __atomic_exchange_n(slot, fresh, __ATOMIC_ACQ_REL);

	if (old)
		kref_put(&old->ref, cfg_release);
}

struct cfg *cfg_current(struct cfg **slot)
{
	struct cfg *c = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

	if (c)
		kref_get(&c->ref); /* expect: rule 3 */
	return c;
}
