/* SPDX-License-Identifier: MIT */
/* Rule 2, kernel style: a flush that frees every listed entry instead of
 * dropping the list's references. */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_first_entry(head, __typeof__(*pos), member),	\
	     n = list_entry(pos->member.next, __typeof__(*pos), member);	\
	     &pos->member != (head);					\
	     pos = n, n = list_entry(n->member.next, __typeof__(*n), member))

struct tenant { struct kref kref; struct list_head link; int id; };
static LIST_HEAD(tenants);
static DEFINE_MUTEX(tenants_lock);

static void tenant_release(struct kref *kref)
{
	struct tenant *t = container_of(kref, struct tenant, kref);
	kfree(t);
}

/* Violation: the flush frees every tenant while others may hold one. */
void tenants_flush(void)
{
	struct tenant *t, *tmp;

	mutex_lock(&tenants_lock);
	list_for_each_entry_safe(t, tmp, &tenants, link) {
		list_del(&t->link);
		kfree(t);	/* expect: rule 2 */
	}
	mutex_unlock(&tenants_lock);
}

/* Correct: the flush drops the list's reference of each tenant. */
void tenants_flush_ok(void)
{
	struct tenant *t, *tmp;

	mutex_lock(&tenants_lock);
	list_for_each_entry_safe(t, tmp, &tenants, link) {
		list_del(&t->link);
		kref_put(&t->kref, tenant_release);
	}
	mutex_unlock(&tenants_lock);
}
