/* SPDX-License-Identifier: MIT */
/* Rule 2: an object made by its constructor (count 1) is leaked when
 * registering it fails; the success path puts it. */
#include <stdlib.h>
#include <string.h>
#include <kref.h>

struct timer_ctx {
	struct kref ref;
	long period_ms;
	char label[16];
};

static void timer_ctx_release(struct kref *ref)
{
	free(container_of(ref, struct timer_ctx, ref));
}

static struct timer_ctx *timer_ctx_new(long period_ms, const char *label)
{
	struct timer_ctx *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	kref_init(&t->ref);
	t->period_ms = period_ms;
	strncpy(t->label, label, sizeof(t->label) - 1);
	return t;
}

int timer_wheel_add(struct timer_ctx *t);	/* takes its own reference */

int arm_timer(long period_ms, const char *label)
{
	struct timer_ctx *t;

	t = timer_ctx_new(period_ms, label);
	if (!t)
		return -1;
	if (period_ms <= 0)
		return -2;	/* expect: rule 2 */
	if (timer_wheel_add(t) < 0) {
		kref_put(&t->ref, timer_ctx_release);
		return -3;
	}
	kref_put(&t->ref, timer_ctx_release);
	return 0;
}
