/* SPDX-License-Identifier: MIT */
/* Rule 3: Setter uses __atomic_exchange_n and puts old; reader atomic-
 * loads and gets, no lock. */
#include <stdlib.h>
#include <kref.h>

struct policy { struct kref ref; int mode; };
struct device { struct policy *policy; };

static void policy_free(struct kref *ref) { free(container_of(ref, struct policy, ref)); }
void policy_put(struct policy *p) { kref_put(&p->ref, policy_free); }

struct policy *device_policy(struct device *d)
{
	struct policy *p = __atomic_load_n(&d->policy, __ATOMIC_ACQUIRE);

	kref_get(&p->ref);	/* expect: rule 3 */
	return p;
}

void device_set_policy(struct device *d, struct policy *p)
{
	struct policy *old;

	kref_get(&p->ref);
	old = __atomic_exchange_n(&d->policy, p, __ATOMIC_ACQ_REL);
	policy_put(old);
}
