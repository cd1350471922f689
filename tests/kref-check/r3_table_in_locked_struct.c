/* SPDX-License-Identifier: MIT */
/* Rule 3: a table inside a structure that has its own lock, read without
 * it. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct obj { struct kref ref; int id; };
struct registry { pthread_mutex_t lock; struct obj *slots[16]; };

static void obj_release(struct kref *ref)
{
	free(container_of(ref, struct obj, ref));
}

void registry_drop(struct registry *r, struct obj *o)
{
	pthread_mutex_lock(&r->lock);
	kref_put(&o->ref, obj_release);
	pthread_mutex_unlock(&r->lock);
}

struct obj *registry_get(struct registry *r, int i)
{
	struct obj *o = r->slots[i & 15];

	if (o)
		kref_get(&o->ref);	/* expect: rule 3 */
	return o;
}

struct obj *registry_get_locked(struct registry *r, int i)
{
	struct obj *o;

	pthread_mutex_lock(&r->lock);
	o = r->slots[i & 15];
	if (o)
		kref_get(&o->ref);
	pthread_mutex_unlock(&r->lock);
	return o;
}
