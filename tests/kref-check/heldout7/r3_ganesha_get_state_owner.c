/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (not a copy) of a refcount bug fixed in NFS-Ganesha.
 *
 * Repository: nfs-ganesha/nfs-ganesha
 * Commit:     e7307c5146d8d78e7aed0068d250366c307ccb51
 * Title:      "Resolve race between get_state_owner and dec_state_owner_ref
 *              differently"
 * Path:       src/SAL/state_misc.c
 * Function:   get_state_owner() (and dec_state_owner_ref())
 *
 * State owners live in a hash table.  dec_state_owner_ref() drops the
 * count with an atomic decrement, without the hash latch; the thread that
 * reaches zero then takes the latch, removes the owner and frees it.
 * get_state_owner() looked the owner up under the hash latch and did a
 * plain increment: in the window between another thread's decrement to
 * zero and its removal, the lookup revived an owner already being torn
 * down.  The earlier attempt to cope (dec_state_owner_ref re-reading the
 * count under the latch and backing off if it was no longer zero) let two
 * threads both believe they dropped the final reference.  Fixed by making
 * the lookup's increment fail when it starts from zero (the new count is
 * 1): the finder drops it, releases the latch and retries, or returns
 * NULL for CARE_NOT; dec_state_owner_ref no longer re-checks.
 *
 * so_refcount (an atomic int32) is modelled with a struct kref, the hash
 * table's latch with a pthread mutex.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

typedef enum { CARE_NOT, CARE_ALWAYS } care_t;

typedef struct state_owner_t {
	struct state_owner_t *so_hash_next;
	struct kref so_refcount;
	pthread_mutex_t so_mutex;
	int so_type;
	unsigned long so_key;
} state_owner_t;

typedef struct hash_table_t {
	pthread_mutex_t latch;
	state_owner_t *owners;
} hash_table_t;

#define STATE_OPEN_OWNER_NFSV4 1

extern hash_table_t *get_state_owner_hash_table(const state_owner_t *key);
extern void refresh_nfs4_open_owner(state_owner_t *owner);
/* allocates and inserts a new owner (count 1, for the caller); latch held */
extern state_owner_t *create_state_owner_latched(hash_table_t *ht,
						 const state_owner_t *key);

/* latch held */
static state_owner_t *hashtable_find(hash_table_t *ht, unsigned long key)
{
	state_owner_t *owner;

	for (owner = ht->owners; owner; owner = owner->so_hash_next)
		if (owner->so_key == key)
			return owner;
	return NULL;
}

/* latch held */
static void hashtable_delete(hash_table_t *ht, state_owner_t *owner)
{
	state_owner_t **pp;

	for (pp = &ht->owners; *pp; pp = &(*pp)->so_hash_next)
		if (*pp == owner) {
			*pp = owner->so_hash_next;
			break;
		}
}

static void state_owner_release(struct kref *kref)
{
	state_owner_t *owner = container_of(kref, state_owner_t, so_refcount);
	hash_table_t *ht_owner = get_state_owner_hash_table(owner);

	pthread_mutex_lock(&ht_owner->latch);
	if (kref_read(&owner->so_refcount) > 0) {
		/* gained a reference meanwhile: leave it in the table */
		pthread_mutex_unlock(&ht_owner->latch);
		return;
	}
	hashtable_delete(ht_owner, owner);
	pthread_mutex_unlock(&ht_owner->latch);

	pthread_mutex_destroy(&owner->so_mutex);
	free(owner);
}

void dec_state_owner_ref(state_owner_t *owner)
{
	kref_put(&owner->so_refcount, state_owner_release);
}

state_owner_t *get_state_owner(care_t care, const state_owner_t *key)
{
	hash_table_t *ht_owner = get_state_owner_hash_table(key);
	state_owner_t *owner;

	pthread_mutex_lock(&ht_owner->latch);
	owner = hashtable_find(ht_owner, key->so_key);
	if (owner != NULL) {
		/* Increment refcount under hash latch. */
		kref_get(&owner->so_refcount); /* expect: rule 3 */

		if (owner->so_type == STATE_OPEN_OWNER_NFSV4) {
			pthread_mutex_lock(&owner->so_mutex);
			refresh_nfs4_open_owner(owner);
			pthread_mutex_unlock(&owner->so_mutex);
		}
		pthread_mutex_unlock(&ht_owner->latch);
		return owner;
	}

	if (care == CARE_NOT) {
		pthread_mutex_unlock(&ht_owner->latch);
		return NULL;
	}

	owner = create_state_owner_latched(ht_owner, key);
	pthread_mutex_unlock(&ht_owner->latch);
	return owner;
}
