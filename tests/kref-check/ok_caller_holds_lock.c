/* SPDX-License-Identifier: MIT */
/* Correct: the helper takes the reference without locking because both
 * of its callers hold table_lock, the lock the final put takes. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

#define NSLOTS 16

struct lease {
	struct kref ref;
	int slot;
	long expires;
};

static struct lease *leases[NSLOTS];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

static void lease_release(struct kref *ref)
{
	struct lease *l = container_of(ref, struct lease, ref);

	leases[l->slot] = NULL;
	pthread_mutex_unlock(&table_lock);
	free(l);
}

void lease_put(struct lease *l)
{
	kref_put_mutex(&l->ref, lease_release, &table_lock);
}

/* Called with table_lock held. */
static struct lease *__lease_grab(int slot)
{
	struct lease *l = leases[slot];

	if (l)
		kref_get(&l->ref);
	return l;
}

struct lease *lease_lookup(int slot)
{
	struct lease *l;

	pthread_mutex_lock(&table_lock);
	l = __lease_grab(slot);
	pthread_mutex_unlock(&table_lock);
	return l;
}

int lease_renew(int slot, long until)
{
	struct lease *l;

	pthread_mutex_lock(&table_lock);
	l = __lease_grab(slot % NSLOTS);
	if (l)
		l->expires = until;
	pthread_mutex_unlock(&table_lock);
	if (!l)
		return -1;
	lease_put(l);
	return 0;
}
