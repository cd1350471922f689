/* SPDX-License-Identifier: MIT */
/* Correct: Queue push returns a status; on failure the queue kept nothing
 * and the caller puts. */
#include <stdlib.h>
#include <kref.h>

struct item { struct kref ref; int v; };

static void item_free(struct kref *ref) { free(container_of(ref, struct item, ref)); }
void item_put(struct item *it) { kref_put(&it->ref, item_free); }
/* Appends item to the queue (the queue's entry owns a reference).  Returns 0, or -ENOSPC when full (nothing kept). */
extern int queue_push(void *q, struct item *item);

int produce(void *q, int v)
{
	struct item *it = malloc(sizeof(*it));

	if (!it)
		return -1;
	kref_init(&it->ref);
	it->v = v;
	if (queue_push(q, it) < 0) {
		item_put(it);
		return -1;
	}
	return 0;
}
