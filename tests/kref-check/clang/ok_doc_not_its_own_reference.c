/* SPDX-License-Identifier: MIT */
/* Correct: Comment: the list does not take its own reference, it keeps the
 * caller's; caller hands its only reference over. */
#include <stdlib.h>
#include <kref.h>

struct timer { struct kref ref; int ms; };

static void timer_free(struct kref *ref) { free(container_of(ref, struct timer, ref)); }
void timer_put(struct timer *t) { kref_put(&t->ref, timer_free); }
/* Links t into the wheel.  The wheel does not take its own reference: it
 * keeps the caller's until the timer fires. */
extern void wheel_add(void *wheel, struct timer *t);

void timer_arm(void *wheel, int ms)
{
	struct timer *t = malloc(sizeof(*t));

	if (!t)
		return;
	kref_init(&t->ref);
	t->ms = ms;
	wheel_add(wheel, t);
}
