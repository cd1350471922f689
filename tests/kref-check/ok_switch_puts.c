/* SPDX-License-Identifier: MIT */
/* Correct: every case of the switch, and the default, puts the reference. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct lock_obj { struct kref ref; struct lock_obj *next; int key; int held; };
static struct lock_obj *objs;
static pthread_mutex_t objs_mu = PTHREAD_MUTEX_INITIALIZER;

static void lock_obj_release(struct kref *r)
{
	struct lock_obj *o = container_of(r, struct lock_obj, ref), **pp;
	for (pp = &objs; *pp; pp = &(*pp)->next)
		if (*pp == o) { *pp = o->next; break; }
	pthread_mutex_unlock(&objs_mu);
	free(o);
}

static struct lock_obj *lock_obj_get(int key)
{
	struct lock_obj *o;
	pthread_mutex_lock(&objs_mu);
	for (o = objs; o; o = o->next)
		if (o->key == key) {
			kref_get(&o->ref);
			break;
		}
	pthread_mutex_unlock(&objs_mu);
	return o;
}

static void lock_obj_put(struct lock_obj *o) { kref_put_mutex(&o->ref, lock_obj_release, &objs_mu); }

int lock_obj_op(int key, int op)
{
	struct lock_obj *o = lock_obj_get(key);
	int ret = 0;

	if (!o)
		return -ENOENT;
	switch (op) {
	case 0:
		if (o->held) {
			ret = -EBUSY;
			break;
		}
		o->held = 1;
		break;
	case 1:
		o->held = 0;
		break;
	default:
		lock_obj_put(o);
		return -EINVAL;
	}
	lock_obj_put(o);
	return ret;
}
