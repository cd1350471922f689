/* SPDX-License-Identifier: MIT */
/*
 * Project: nfs-ganesha/nfs-ganesha
 * Path:    src/SAL/nlm_owner.c
 * Fix:     feb12d2fe13fcdbd5ae80cbe6575af98c4657520
 * Bug:     dec_nlm_client_ref() drops the count to zero before it takes the
 *          hash latch, and get_nlm_client() then takes a plain reference on
 *          the zero-count client it finds in the table, so the count goes up
 *          from zero on an object its last holder is about to free.
 */
#include <kref.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct state_nlm_client {
	struct kref slc_refcount;
	struct state_nlm_client *slc_next;	/* hash chain */
	char *slc_nlm_caller_name;
} state_nlm_client_t;

typedef enum { CARE_NOT, CARE_NO_MONITOR, CARE_MONITOR } care_t;

/* the hash table and its latch (one bucket is enough here) */
static pthread_mutex_t ht_nlm_client_latch = PTHREAD_MUTEX_INITIALIZER;
static state_nlm_client_t *ht_nlm_client;

/* frees the client and its caller name */
extern void free_nlm_client(state_nlm_client_t *client);
/* allocates a client for @caller_name; the caller fills in the count */
extern state_nlm_client_t *alloc_nlm_client(const char *caller_name);

/* under the latch: the client hashed under @caller_name, borrowed */
static state_nlm_client_t *nlm_client_hash_find(const char *caller_name)
{
	state_nlm_client_t *c;

	for (c = ht_nlm_client; c != NULL; c = c->slc_next)
		if (strcmp(c->slc_nlm_caller_name, caller_name) == 0)
			return c;
	return NULL;
}

/* under the latch: unhash @client if it is still there */
static bool nlm_client_hash_del(state_nlm_client_t *client)
{
	state_nlm_client_t **pp;

	for (pp = &ht_nlm_client; *pp != NULL; pp = &(*pp)->slc_next) {
		if (*pp == client) {
			*pp = client->slc_next;
			return true;
		}
	}
	return false;
}

void inc_nlm_client_ref(state_nlm_client_t *client)
{
	kref_get(&client->slc_refcount);
}

/* last reference gone: take the latch, unhash, free */
static void nlm_client_release(struct kref *kref)
{
	state_nlm_client_t *client =
		container_of(kref, state_nlm_client_t, slc_refcount);

	pthread_mutex_lock(&ht_nlm_client_latch);
	if (kref_read(&client->slc_refcount) > 0) {
		/* somebody found it in the table meanwhile */
		pthread_mutex_unlock(&ht_nlm_client_latch);
		return;
	}
	nlm_client_hash_del(client);
	pthread_mutex_unlock(&ht_nlm_client_latch);

	free_nlm_client(client);
}

void dec_nlm_client_ref(state_nlm_client_t *client)
{
	kref_put(&client->slc_refcount, nlm_client_release);
}

state_nlm_client_t *get_nlm_client(care_t care, const char *caller_name)
{
	state_nlm_client_t *pclient;

	if (caller_name == NULL)
		return NULL;

	pthread_mutex_lock(&ht_nlm_client_latch);

	pclient = nlm_client_hash_find(caller_name);
	if (pclient != NULL) {
		/* Increment refcount under hash latch. */
		inc_nlm_client_ref(pclient); /* expect: rule 3 */
		pthread_mutex_unlock(&ht_nlm_client_latch);
		return pclient;
	}

	/* Not found, but we don't care, return NULL */
	if (care == CARE_NOT) {
		pthread_mutex_unlock(&ht_nlm_client_latch);
		return NULL;
	}

	pclient = alloc_nlm_client(caller_name);
	if (pclient == NULL) {
		pthread_mutex_unlock(&ht_nlm_client_latch);
		return NULL;
	}
	kref_init(&pclient->slc_refcount);
	pclient->slc_next = ht_nlm_client;
	ht_nlm_client = pclient;

	pthread_mutex_unlock(&ht_nlm_client_latch);
	return pclient;
}
