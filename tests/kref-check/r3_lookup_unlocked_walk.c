/* SPDX-License-Identifier: MIT */
/* Rule 3: the final put of a tenant takes the registry's mutex (it unlinks
 * the tenant there), but the lookup walks the registry without it and
 * returns the tenant with no reference: its caller uses a tenant that an
 * unregister may free at any moment. */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>

struct tenant {
	struct kref kref;
	struct list_head node;
	int uid;
	long quota;
};

static LIST_HEAD(tenants);
static DEFINE_MUTEX(tenants_mutex);

static void tenant_release(struct kref *kref)
{
	struct tenant *t = container_of(kref, struct tenant, kref);

	list_del(&t->node);
	mutex_unlock(&tenants_mutex);
	kfree(t);
}

void tenant_put(struct tenant *t)
{
	kref_put_mutex(&t->kref, tenant_release, &tenants_mutex);
}

static struct tenant *tenant_by_uid(int uid)
{
	struct tenant *t;

	list_for_each_entry(t, &tenants, node)
		if (t->uid == uid)
			return t;
	return NULL;
}

int tenant_set_quota(int uid, long quota)
{
	struct tenant *t = tenant_by_uid(uid);

	if (!t)
		return -1;
	t->quota = quota;	/* expect: rule 3 */
	return 0;
}
