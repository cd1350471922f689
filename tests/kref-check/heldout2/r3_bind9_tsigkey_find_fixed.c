/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r3_bind9_tsigkey_find.c (own code): isc-projects/bind9
 * commit a62cda787ffdced3fc2ae31d8da86cba17a3f95f, lib/dns/tsig.c.  The
 * reference is taken before the read lock is dropped, and an expired key
 * is deleted after retaking the ring lock for writing.
 */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

typedef int isc_result_t;
#define ISC_R_SUCCESS	0
#define ISC_R_NOTFOUND	23
typedef struct dns_name dns_name_t;
typedef struct dns_rbt dns_rbt_t;
typedef struct dns_tsigkey { struct kref refs; dns_name_t *algorithm; unsigned int inception, expire; } dns_tsigkey_t;
typedef struct dns_tsig_keyring { pthread_rwlock_t lock; dns_rbt_t *keys; } dns_tsig_keyring_t;

/* Finds the key; the tree keeps its own reference (dropped by deletename). */
isc_result_t dns_rbt_findname(dns_rbt_t *rbt, const dns_name_t *name, void **data);
isc_result_t dns_rbt_deletename(dns_rbt_t *rbt, const dns_name_t *name);
int dns_name_equal(const dns_name_t *a, const dns_name_t *b);
unsigned int isc_stdtime_now(void);

static void tsigkey_free(struct kref *refs)
{
	free(container_of(refs, dns_tsigkey_t, refs));
}

void dns_tsigkey_detach(dns_tsigkey_t **keyp)
{
	kref_put(&(*keyp)->refs, tsigkey_free);
	*keyp = NULL;
}

isc_result_t dns_tsigkey_find(dns_tsigkey_t **tsigkey, const dns_name_t *name,
			      const dns_name_t *algorithm, dns_tsig_keyring_t *ring)
{
	dns_tsigkey_t *key = NULL;
	unsigned int now = isc_stdtime_now();

	pthread_rwlock_rdlock(&ring->lock);
	if (dns_rbt_findname(ring->keys, name, (void **)&key) != ISC_R_SUCCESS) {
		pthread_rwlock_unlock(&ring->lock);
		return ISC_R_NOTFOUND;
	}
	if (algorithm != NULL && !dns_name_equal(key->algorithm, algorithm)) {
		pthread_rwlock_unlock(&ring->lock);
		return ISC_R_NOTFOUND;
	}
	if (key->inception != key->expire && key->expire < now) {
		/* expired: delete it under the write lock */
		pthread_rwlock_unlock(&ring->lock);
		pthread_rwlock_wrlock(&ring->lock);
		(void)dns_rbt_deletename(ring->keys, name);
		pthread_rwlock_unlock(&ring->lock);
		return ISC_R_NOTFOUND;
	}
	kref_get(&key->refs);
	pthread_rwlock_unlock(&ring->lock);
	*tsigkey = key;
	return ISC_R_SUCCESS;
}
