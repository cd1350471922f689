/* SPDX-License-Identifier: MIT */
/* Rule 3: the first node of a global tree, then its container, referenced
 * with no lock. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct rb_node { struct rb_node *left, *right; };
struct rb_root { struct rb_node *node; };
struct rb_node *rb_first(const struct rb_root *root);

struct timer { struct kref ref; struct rb_node node; long when; };
static struct rb_root timers;
static pthread_mutex_t timers_lock = PTHREAD_MUTEX_INITIALIZER;

static void timer_release(struct kref *ref)
{
	struct timer *t = container_of(ref, struct timer, ref);
	pthread_mutex_unlock(&timers_lock);
	free(t);
}

void timer_put(struct timer *t) { kref_put_mutex(&t->ref, timer_release, &timers_lock); }

struct timer *timer_earliest(void)
{
	struct rb_node *n = rb_first(&timers);
	struct timer *t;

	if (!n)
		return NULL;
	t = container_of(n, struct timer, node);
	kref_get(&t->ref);	/* expect: rule 3 */
	return t;
}

struct timer *timer_earliest_ok(void)
{
	struct rb_node *n;
	struct timer *t = NULL;

	pthread_mutex_lock(&timers_lock);
	n = rb_first(&timers);
	if (n) {
		t = container_of(n, struct timer, node);
		kref_get(&t->ref);
	}
	pthread_mutex_unlock(&timers_lock);
	return t;
}
