/* SPDX-License-Identifier: MIT */
/* Rule 2: the path's only reference is put while the object's own
 * lock is held; the unlock then touches freed memory. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct chan { struct kref ref; pthread_mutex_t lock; int open; };

/* Returns the channel with a new reference, or NULL. */
extern struct chan *chan_find(int id);

static void chan_release(struct kref *ref)
{
	free(container_of(ref, struct chan, ref));
}

void chan_shutdown(int id)
{
	struct chan *ch = chan_find(id);

	if (!ch)
		return;
	pthread_mutex_lock(&ch->lock);
	ch->open = 0;
	kref_put(&ch->ref, chan_release);
	pthread_mutex_unlock(&ch->lock);	/* expect: rule 2 */
}
