/* SPDX-License-Identifier: MIT */
/* Rule 3 with a table: the slot is read and the handle's reference taken
 * without the table lock, which the final put takes to clear the slot. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

#define MAX_HANDLES 128

struct handle {
	struct kref ref;
	int slot;
	void *resource;
};

static struct handle *handles[MAX_HANDLES];
static pthread_mutex_t handles_lock = PTHREAD_MUTEX_INITIALIZER;

static void handle_release(struct kref *ref)
{
	struct handle *h = container_of(ref, struct handle, ref);

	handles[h->slot] = NULL;
	pthread_mutex_unlock(&handles_lock);
	free(h);
}

void handle_put(struct handle *h)
{
	kref_put_mutex(&h->ref, handle_release, &handles_lock);
}

struct handle *handle_from_slot(int slot)
{
	struct handle *h;

	if (slot < 0 || slot >= MAX_HANDLES)
		return NULL;
	h = handles[slot];
	if (h)
		kref_get(&h->ref);	/* expect: rule 3 */
	return h;
}
