/* SPDX-License-Identifier: MIT */
/*
 * Project: openvswitch/ovs
 * Path: lib/dpif-offload.c
 * Fix commit: 75ba627dc70d05eb15e46381881af3d9689049c5
 * Bug: a dump of a datapath's offload providers re-reads the RCU-published
 * provider collection on every dpif_offload_dump_next() call and walks it
 * with no reference, across calls between which the thread may quiesce,
 * while dpif_detach_offload_providers() drops the collection's last
 * reference under dpif_offload_mutex and schedules its free.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <kref.h>

struct dpif_offload {
	struct dpif_offload *next;	/* link in collection->list */
};

struct dpif_offload_provider_collection {
	struct kref ref_cnt;
	const char *dpif_name;
	struct dpif_offload *list;
};

struct dpif {
	/* RCU-published; the dpif holds one reference */
	struct dpif_offload_provider_collection *offload_provider_collection;
};

struct dpif_offload_dump {
	struct dpif_offload_provider_collection *collection;	/* counted */
	struct dpif_offload *state;
	int error;
};

static pthread_mutex_t dpif_offload_mutex = PTHREAD_MUTEX_INITIALIZER;

/* removes the collection from the 'dpif_offload_providers' shash (which
 * holds no reference); called with dpif_offload_mutex held */
extern void dpif_offload_providers_remove(const char *dpif_name);
/* ovsrcu_postpone()s the destruction of the providers and the free */
extern void provider_collection_free_rcu(struct dpif_offload_provider_collection *c);

static struct dpif_offload_provider_collection *
dpif_get_offload_provider_collection(const struct dpif *dpif)
{
	return __atomic_load_n(&dpif->offload_provider_collection,
			       __ATOMIC_ACQUIRE);
}

static struct dpif_offload_provider_collection *
dpif_get_offload_provider_collection_with_ref(const struct dpif *dpif)
{
	struct dpif_offload_provider_collection *collection;

	pthread_mutex_lock(&dpif_offload_mutex);
	collection = dpif_get_offload_provider_collection(dpif);
	if (!collection || !kref_get_unless_zero(&collection->ref_cnt))
		collection = NULL;
	pthread_mutex_unlock(&dpif_offload_mutex);

	return collection;
}

/* release: called with dpif_offload_mutex held, drops it */
static void provider_collection_release(struct kref *ref)
{
	struct dpif_offload_provider_collection *collection =
		container_of(ref, struct dpif_offload_provider_collection, ref_cnt);

	dpif_offload_providers_remove(collection->dpif_name);
	pthread_mutex_unlock(&dpif_offload_mutex);
	provider_collection_free_rcu(collection);
}

static void
dpif_offload_unref_collection(struct dpif_offload_provider_collection *collection)
{
	if (!collection)
		return;
	/* Take dpif_offload_mutex so that, if the count falls to zero,
	 * no new reference can be found through the shash. */
	kref_put_mutex(&collection->ref_cnt, provider_collection_release,
		       &dpif_offload_mutex);
}

void dpif_detach_offload_providers(struct dpif *dpif)
{
	struct dpif_offload_provider_collection *collection;

	collection = dpif_get_offload_provider_collection(dpif);
	if (collection) {
		dpif_offload_unref_collection(collection);
		__atomic_store_n(&dpif->offload_provider_collection, NULL,
				 __ATOMIC_RELEASE);
	}
}

void dpif_offload_dump_start(struct dpif_offload_dump *dump,
			     const struct dpif *dpif)
{
	memset(dump, 0, sizeof *dump);
	dump->collection = dpif_get_offload_provider_collection_with_ref(dpif);
	if (!dump->collection)
		dump->error = EIDRM;
}

bool dpif_offload_dump_next(struct dpif_offload_dump *dump,
			    struct dpif_offload **offload)
{
	struct dpif_offload *entry;

	if (!offload || !dump || dump->error || !dump->collection)
		return false;

	if (dump->state)
		entry = dump->state->next;
	else
		/* Get the first entry in the list. */
		entry = dump->collection->list;

	if (entry) {
		*offload = entry;
		dump->state = entry;
	} else {
		dump->error = EOF;
	}
	return !dump->error;
}

int dpif_offload_dump_done(struct dpif_offload_dump *dump)
{
	dpif_offload_unref_collection(dump->collection);
	dump->collection = NULL;
	return dump->error == EOF ? 0 : dump->error;
}
