/* SPDX-License-Identifier: MIT */
/* The retry request is handed to an event loop's timeout with a reference
 * taken for the callback, which puts it; the function drops its own. */
#include <stdlib.h>
#include <kref.h>

struct retry { struct kref ref; int attempts; };
struct loop;

int loop_add_timeout(struct loop *l, unsigned int ms, void (*cb)(void *), void *data);
void resend(struct retry *r);

static void retry_release(struct kref *ref)
{
	free(container_of(ref, struct retry, ref));
}

static void retry_put(struct retry *r)
{
	kref_put(&r->ref, retry_release);
}

static void on_retry_timeout(void *data)
{
	struct retry *r = data;

	resend(r);
	retry_put(r);
}

void schedule_retry(struct loop *l, int attempts)
{
	struct retry *r = malloc(sizeof(*r));

	if (!r)
		return;
	kref_init(&r->ref);
	r->attempts = attempts;
	kref_get(&r->ref);
	loop_add_timeout(l, 250, on_retry_timeout, r);
	retry_put(r);
}

/* Handing the one reference over, and not putting it, is right too. */
void schedule_retry_transfer(struct loop *l, int attempts)
{
	struct retry *r = malloc(sizeof(*r));

	if (!r)
		return;
	kref_init(&r->ref);
	r->attempts = attempts;
	loop_add_timeout(l, 250, on_retry_timeout, r);
}
