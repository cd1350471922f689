/* SPDX-License-Identifier: MIT */
/* Rule 3, the seed's wrong version: the pointer is read from the global
 * and the reference taken with no lock, racing the final put. */
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/slab.h>

struct my_data {
	struct kref refcount;
	int value;
};

static struct my_data *global_obj;
static DEFINE_MUTEX(obj_lock);

static void data_release(struct kref *ref)
{
	struct my_data *obj = container_of(ref, struct my_data, refcount);

	if (global_obj == obj)
		global_obj = NULL;
	mutex_unlock(&obj_lock);
	kfree(obj);
}

struct my_data *get_global_obj_wrong(void)
{
	struct my_data *obj = global_obj;

	if (obj)
		kref_get(&obj->refcount);	/* expect: rule 3 */
	return obj;
}

void put_global_obj(struct my_data *obj)
{
	kref_put_mutex(&obj->refcount, data_release, &obj_lock);
}
