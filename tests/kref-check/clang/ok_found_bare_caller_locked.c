/* SPDX-License-Identifier: MIT */
/* Correct: the walk without a lock of its own runs in a helper that
 * drops the lock its caller took, and in the release, which the final
 * put calls with the lock held. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct handle { struct kref ref; int key; struct handle *next; };

static pthread_mutex_t handles_lock = PTHREAD_MUTEX_INITIALIZER;
static struct handle *handles;

static void handle_release(struct kref *ref)
{
	struct handle *h = container_of(ref, struct handle, ref), **pp;

	for (pp = &handles; *pp; pp = &(*pp)->next)
		if (*pp == h) {
			*pp = h->next;
			break;
		}
	pthread_mutex_unlock(&handles_lock);
	free(h);
}

void handle_put(struct handle *h)
{
	kref_put_mutex(&h->ref, handle_release, &handles_lock);
}

/* Called with handles_lock held; returns with it dropped. */
struct handle *handle_find_and_unlock(int key)
{
	struct handle *h;

	for (h = handles; h; h = h->next)
		if (h->key == key) {
			kref_get(&h->ref);
			break;
		}
	pthread_mutex_unlock(&handles_lock);
	return h;
}

struct handle *handle_find(int key)
{
	struct handle *h;

	pthread_mutex_lock(&handles_lock);
	for (h = handles; h; h = h->next)
		if (h->key == key) {
			kref_get(&h->ref);
			break;
		}
	pthread_mutex_unlock(&handles_lock);
	return h;
}
