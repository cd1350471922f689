/* SPDX-License-Identifier: MIT */
/* Rule 3: taking the object's own lock after an unlocked read protects
 * nothing. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct sensor { struct kref ref; pthread_mutex_t lock; int value; };
static struct sensor *active;
static pthread_mutex_t active_lock = PTHREAD_MUTEX_INITIALIZER;

static void sensor_release(struct kref *ref)
{
	struct sensor *s = container_of(ref, struct sensor, ref);
	if (active == s)
		active = NULL;
	pthread_mutex_unlock(&active_lock);
	free(s);
}

void sensor_put(struct sensor *s) { kref_put_mutex(&s->ref, sensor_release, &active_lock); }

/* Violation: the sensor's own lock is taken after the unlocked read; it
 * does not keep the object from being freed. */
struct sensor *sensor_current(void)
{
	struct sensor *s = active;

	if (!s)
		return NULL;
	pthread_mutex_lock(&s->lock);
	kref_get(&s->ref);	/* expect: rule 3 */
	pthread_mutex_unlock(&s->lock);
	return s;
}
