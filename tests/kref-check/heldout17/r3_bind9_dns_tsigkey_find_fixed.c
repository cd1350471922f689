/* SPDX-License-Identifier: MIT */
/*
 * Project: isc-projects/bind9
 * Path:    lib/dns/tsig.c
 * Fix:     d2ba96488ea30eaeb225c12ea77e71de399b6175
 * Bug:     dns_tsigkey_find() finds the key in the ring under the ring's read
 *          lock but takes its reference only after unlocking, while
 *          dns_tsigkey_delete() drops the ring's reference under the write lock.
 */
#include <kref.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct dns_tsigkeyring dns_tsigkeyring_t;

typedef struct dns_tsigkey {
	struct kref refs;
	char name[64];
	bool generated;		/* TKEY-generated keys sit on the LRU list */
	unsigned int lru_stamp;
	dns_tsigkeyring_t *ring;
	struct dns_tsigkey *next;	/* ring's key list (the hashmap) */
} dns_tsigkey_t;

struct dns_tsigkeyring {
	pthread_rwlock_t lock;
	dns_tsigkey_t *keys;
	unsigned int lru_clock;
};

/* frees the key material and the key */
extern void destroy_tsigkey_material(dns_tsigkey_t *key);

static void destroy_tsigkey(struct kref *kref)
{
	dns_tsigkey_t *key = container_of(kref, dns_tsigkey_t, refs);

	destroy_tsigkey_material(key);
	free(key);
}

void dns_tsigkey_ref(dns_tsigkey_t *key)
{
	kref_get(&key->refs);
}

void dns_tsigkey_detach(dns_tsigkey_t **keyp)
{
	dns_tsigkey_t *key = *keyp;

	*keyp = NULL;
	kref_put(&key->refs, destroy_tsigkey);
}

/* ring->lock held for writing: unlink and drop the ring's reference */
static void rm_hashmap(dns_tsigkey_t *tkey)
{
	dns_tsigkey_t **pp;

	for (pp = &tkey->ring->keys; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == tkey) {
			*pp = tkey->next;
			break;
		}
	}
	dns_tsigkey_detach(&tkey);
}

static void adjust_lru(dns_tsigkey_t *tkey)
{
	if (tkey->generated) {
		pthread_rwlock_wrlock(&tkey->ring->lock);
		tkey->lru_stamp = ++tkey->ring->lru_clock;
		pthread_rwlock_unlock(&tkey->ring->lock);
	}
}

void dns_tsigkey_delete(dns_tsigkey_t *key)
{
	pthread_rwlock_wrlock(&key->ring->lock);
	rm_hashmap(key);
	pthread_rwlock_unlock(&key->ring->lock);
}

int dns_tsigkey_find(dns_tsigkey_t **tsigkey, const char *name,
		     dns_tsigkeyring_t *ring)
{
	dns_tsigkey_t *key;

	pthread_rwlock_rdlock(&ring->lock);
	for (key = ring->keys; key != NULL; key = key->next)
		if (strcmp(key->name, name) == 0)
			break;
	if (key == NULL) {
		pthread_rwlock_unlock(&ring->lock);
		return -1;
	}
	dns_tsigkey_ref(key);
	pthread_rwlock_unlock(&ring->lock);
	adjust_lru(key);
	*tsigkey = key;
	return 0;
}
