/* SPDX-License-Identifier: MIT */
/* Correct: references counted through an alias in code that shares
 * nothing. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct obj { struct kref ref; int v; };
static void obj_release(struct kref *ref) { free(container_of(ref, struct obj, ref)); }

/* Correct: reference counting without threads or shared places at all. */
int compute(int n)
{
	struct obj *o = malloc(sizeof(*o));
	struct obj *alias;
	int sum = 0;

	if (!o)
		return -1;
	kref_init(&o->ref);
	o->v = n;
	alias = o;
	kref_get(&alias->ref);
	for (int i = 0; i < n; i++)
		sum += alias->v;
	kref_put(&alias->ref, obj_release);
	kref_put(&o->ref, obj_release);
	return sum;
}
