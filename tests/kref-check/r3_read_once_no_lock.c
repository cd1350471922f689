/* SPDX-License-Identifier: MIT */
/* Rule 3: READ_ONCE keeps the load whole, not the object alive. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

#define READ_ONCE(x) (*(volatile __typeof__(x) *)&(x))

struct profile { struct kref kref; int level; };
static struct profile *current_profile;
static pthread_mutex_t profile_lock = PTHREAD_MUTEX_INITIALIZER;

static void profile_release(struct kref *k)
{
	struct profile *p = container_of(k, struct profile, kref);
	if (current_profile == p)
		current_profile = NULL;
	pthread_mutex_unlock(&profile_lock);
	free(p);
}

struct profile *profile_get_current(void)
{
	struct profile *p = READ_ONCE(current_profile);
	if (p)
		kref_get(&p->kref);	/* expect: rule 3 */
	return p;
}

void profile_put(struct profile *p)
{
	kref_put_mutex(&p->kref, profile_release, &profile_lock);
}
