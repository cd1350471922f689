/* SPDX-License-Identifier: MIT */
/* Correct: the README's Rule 3: lookup and get under obj_lock, and the
 * final put takes obj_lock too (kref_put_mutex). */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct my_data {
	struct kref ref;
	int value;
};

static struct my_data *global_obj;
static pthread_mutex_t obj_lock = PTHREAD_MUTEX_INITIALIZER;

static void data_release(struct kref *ref)
{
	struct my_data *obj = container_of(ref, struct my_data, ref);

	if (global_obj == obj)
		global_obj = NULL;
	pthread_mutex_unlock(&obj_lock);
	free(obj);
}

struct my_data *get_global(void)
{
	struct my_data *obj;

	pthread_mutex_lock(&obj_lock);
	obj = global_obj;
	if (obj)
		kref_get(&obj->ref);
	pthread_mutex_unlock(&obj_lock);
	return obj;
}

void put_global(struct my_data *obj)
{
	kref_put_mutex(&obj->ref, data_release, &obj_lock);
}

int set_global(int value)
{
	struct my_data *obj = malloc(sizeof(*obj)), *old;

	if (!obj)
		return -1;
	kref_init(&obj->ref);		/* the global's reference */
	obj->value = value;
	pthread_mutex_lock(&obj_lock);
	old = global_obj;
	global_obj = obj;
	pthread_mutex_unlock(&obj_lock);
	if (old)
		put_global(old);
	return 0;
}
