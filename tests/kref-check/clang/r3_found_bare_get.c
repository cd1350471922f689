/* SPDX-License-Identifier: MIT */
/* Rule 3: the lookup walks the shared list with no lock and takes the
 * lock only around the get; the final put unlinks under that lock, so the
 * entry can be freed between the walk and the get. */
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

struct handle *handle_find(int key)
{
	struct handle *h;

	for (h = handles; h; h = h->next)
		if (h->key == key) {
			pthread_mutex_lock(&handles_lock);
			kref_get(&h->ref);	/* expect: rule 3 */
			pthread_mutex_unlock(&handles_lock);
			return h;
		}
	return NULL;
}
