/* SPDX-License-Identifier: MIT */
/* Correct: a reference given to a device before a later error return, and
 * a thread that borrows while its creator waits. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct obj { struct kref ref; int x; };
struct obj *obj_new(void);
void obj_put(struct obj *o);
int device_add_obj(void *dev, struct obj *o);	/* takes its own reference on success */
int device_ready(void *dev);

/* Correct: once the device holds the object, this function's reference
 * went with it. */
int attach(void *dev)
{
	struct obj *o = obj_new();
	int ret;

	if (!o)
		return -ENOMEM;
	ret = device_add_obj(dev, o);
	if (ret) {
		obj_put(o);
		return ret;
	}
	if (!device_ready(dev))
		return -EIO;
	return 0;
}

/* Correct: the thread borrows the pointer while main waits for it. */
static void obj_release(struct kref *r) { free(container_of(r, struct obj, ref)); }
static void *borrow(void *arg)
{
	struct obj *o = arg;
	kref_get(&o->ref);
	o->x++;
	kref_put(&o->ref, obj_release);
	return NULL;
}

int run_and_wait(struct obj *o)
{
	pthread_t t;
	if (pthread_create(&t, NULL, borrow, o))
		return -1;
	pthread_join(t, NULL);
	return 0;
}
