/* SPDX-License-Identifier: MIT */
/* Rule 3 on the put side: lookups take the list lock around the walk and
 * kref_get, but the final put is a plain kref_put without that lock, so a
 * lookup can find the object after its count reached 0. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct client {
	struct kref ref;
	struct client *next, **pprev;
	int id;
};

static struct client *clients;
static pthread_mutex_t clients_lock = PTHREAD_MUTEX_INITIALIZER;

static void client_release(struct kref *ref)
{
	struct client *c = container_of(ref, struct client, ref);

	pthread_mutex_lock(&clients_lock);
	*c->pprev = c->next;
	if (c->next)
		c->next->pprev = c->pprev;
	pthread_mutex_unlock(&clients_lock);
	free(c);
}

struct client *client_lookup(int id)
{
	struct client *c;

	pthread_mutex_lock(&clients_lock);
	for (c = clients; c; c = c->next)
		if (c->id == id) {
			kref_get(&c->ref);	/* expect: rule 3 */
			break;
		}
	pthread_mutex_unlock(&clients_lock);
	return c;
}

void client_put(struct client *c)
{
	kref_put(&c->ref, client_release);	/* expect: rule 3 */
}
