/* SPDX-License-Identifier: MIT */
/* Correct: the current policy is read with rcu_dereference under
 * rcu_read_lock and taken with kref_get_unless_zero; its release frees it
 * after a grace period. */
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

struct policy {
	struct kref kref;
	struct rcu_head rcu;
	int mode;
};

static struct policy *current_policy;
static DEFINE_MUTEX(policy_mutex);

static void policy_release(struct kref *kref)
{
	struct policy *p = container_of(kref, struct policy, kref);

	kfree_rcu(p, rcu);
}

struct policy *policy_get(void)
{
	struct policy *p;

	rcu_read_lock();
	p = rcu_dereference(current_policy);
	if (p && !kref_get_unless_zero(&p->kref))
		p = NULL;
	rcu_read_unlock();
	return p;
}

void policy_put(struct policy *p)
{
	kref_put(&p->kref, policy_release);
}

void policy_replace(struct policy *newp)
{
	struct policy *old;

	mutex_lock(&policy_mutex);
	old = current_policy;
	rcu_assign_pointer(current_policy, newp);
	mutex_unlock(&policy_mutex);
	if (old)
		policy_put(old);
}
