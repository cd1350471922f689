/* SPDX-License-Identifier: MIT */
/* Rule 3 with <kref/cleanup.h>: the scoped_guard() covers the read but
 * not the get after it. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct plan {
	struct kref ref;
	int steps;
};

static struct plan *current_plan;
static pthread_mutex_t plan_lock = PTHREAD_MUTEX_INITIALIZER;

static void plan_release(struct kref *ref)
{
	struct plan *p = container_of(ref, struct plan, ref);

	if (current_plan == p)
		current_plan = NULL;
	pthread_mutex_unlock(&plan_lock);
	free(p);
}

void plan_put(struct plan *p)
{
	kref_put_mutex(&p->ref, plan_release, &plan_lock);
}

struct plan *plan_get(void)
{
	struct plan *p;

	scoped_guard(pthread_mutex, &plan_lock)
		p = current_plan;
	if (p)
		kref_get(&p->ref);	/* expect: rule 3 */
	return p;
}
