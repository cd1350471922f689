/* SPDX-License-Identifier: MIT */
/* Rule 2: a double put with a use between the two puts. */
#include <stdlib.h>
#include <kref.h>
struct obj { struct kref ref; int closed; };
static void obj_release(struct kref *r) { free(container_of(r, struct obj, ref)); }
void obj_put(struct obj *o) { kref_put(&o->ref, obj_release); }
void obj_close(struct obj *o)
{
	obj_put(o);
	o->closed = 1;
	obj_put(o);	/* expect: rule 2 */
}
