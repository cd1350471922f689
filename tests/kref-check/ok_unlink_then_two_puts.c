/* SPDX-License-Identifier: MIT */
/* Correct: drop the list's reference and the caller's */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>
#include <linux/list.h>
struct obj { struct kref ref; struct list_head node; int id; };
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static LIST_HEAD(objs);
static void obj_release(struct kref *r) { free(container_of(r, struct obj, ref)); }
void obj_put(struct obj *o) { kref_put(&o->ref, obj_release); }
struct obj *obj_new(int id)
{
	struct obj *o = calloc(1, sizeof(*o));
	if (!o) return NULL;
	kref_init(&o->ref);
	o->id = id;
	pthread_mutex_lock(&lock);
	kref_get(&o->ref);		/* the list's */
	list_add(&o->node, &objs);
	pthread_mutex_unlock(&lock);
	return o;
}
/* Called with the caller's reference, which it consumes. */
void obj_remove(struct obj *o)
{
	pthread_mutex_lock(&lock);
	list_del(&o->node);
	pthread_mutex_unlock(&lock);
	obj_put(o);	/* the list's reference */
	obj_put(o);	/* the caller's */
}
