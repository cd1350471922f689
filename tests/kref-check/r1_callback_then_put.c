/* SPDX-License-Identifier: MIT */
/* Rule 1: the retry request is handed to an event loop's timeout together
 * with the callback that will use it, and the function then drops the only
 * reference it had: the callback runs on a freed request. */
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
	loop_add_timeout(l, 250, on_retry_timeout, r);	/* expect: rule 1 */
	retry_put(r);
}
