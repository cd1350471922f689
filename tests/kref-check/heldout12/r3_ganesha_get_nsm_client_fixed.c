/* SPDX-License-Identifier: MIT */
/*
 * Project: nfs-ganesha/nfs-ganesha
 * Path: src/SAL/nlm_owner.c
 * Fix commit: 60e20e2e9b531910c2ef1a20ad4036ff595df66f
 * Bug: get_nsm_client() reads the refcount of the NSM client it found in the
 * hash table, and only later takes a plain reference, so a concurrent final
 * put (which drops the count before taking the hash latch) can bring the count
 * to zero in between and the lookup revives a client that is being freed.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

typedef enum care_t {
	CARE_NOT,
	CARE_MONITOR,
} care_t;

typedef struct state_nsm_client_t {
	pthread_mutex_t ssc_mutex;
	struct kref ssc_refcount;	/* the hash table does not hold one */
	char *ssc_nlm_caller_name;
	bool ssc_monitored;
} state_nsm_client_t;

/* the latch of the ht_nsm_client partition */
static pthread_mutex_t ht_nsm_client_latch = PTHREAD_MUTEX_INITIALIZER;

/* looks caller_name up in ht_nsm_client; caller holds the latch; returns a
 * borrowed pointer or NULL */
extern state_nsm_client_t *nsm_client_hash_find(const char *caller_name);
/* unhashes the entry for caller_name; caller holds the latch */
extern void nsm_client_hash_delete(const char *caller_name);
/* allocates a client with one reference and hashes it; caller holds the
 * latch */
extern state_nsm_client_t *nsm_client_create(const char *caller_name);
/* registers the client with rpc.statd */
extern bool nsm_monitor(state_nsm_client_t *client);
/* unregisters the client from rpc.statd */
extern void nsm_unmonitor(state_nsm_client_t *client);
/* frees the caller name, the mutex and the client */
extern void free_nsm_client(state_nsm_client_t *client);

static void nsm_client_release(struct kref *kref)
{
	state_nsm_client_t *client =
		container_of(kref, state_nsm_client_t, ssc_refcount);

	/* Since the refcnt is zero, another thread that needs this entry may
	 * have deleted it to insert its own: only unhash our own client. */
	pthread_mutex_lock(&ht_nsm_client_latch);
	if (nsm_client_hash_find(client->ssc_nlm_caller_name) == client)
		nsm_client_hash_delete(client->ssc_nlm_caller_name);
	pthread_mutex_unlock(&ht_nsm_client_latch);

	nsm_unmonitor(client);
	free_nsm_client(client);
}

void dec_nsm_client_ref(state_nsm_client_t *client)
{
	kref_put(&client->ssc_refcount, nsm_client_release);
}

state_nsm_client_t *get_nsm_client(care_t care, const char *caller_name)
{
	state_nsm_client_t *pclient;

	if (caller_name == NULL)
		return NULL;

	pthread_mutex_lock(&ht_nsm_client_latch);
	pclient = nsm_client_hash_find(caller_name);
	if (pclient != NULL) {
		if (!kref_get_unless_zero(&pclient->ssc_refcount)) {
			/* This nsm client is in the process of getting
			 * deleted. Delete it from the hash table and
			 * pretend as though we didn't find it. */
			nsm_client_hash_delete(caller_name);
			goto not_found;
		}

		pthread_mutex_unlock(&ht_nsm_client_latch);

		if (care == CARE_MONITOR && !nsm_monitor(pclient)) {
			dec_nsm_client_ref(pclient);
			pclient = NULL;
		}
		return pclient;
	}

not_found:
	/* Not found, but we don't care, return NULL */
	if (care == CARE_NOT) {
		pthread_mutex_unlock(&ht_nsm_client_latch);
		return NULL;
	}

	pclient = nsm_client_create(caller_name);
	pthread_mutex_unlock(&ht_nsm_client_latch);

	if (pclient != NULL && care == CARE_MONITOR && !nsm_monitor(pclient)) {
		dec_nsm_client_ref(pclient);
		pclient = NULL;
	}
	return pclient;
}
