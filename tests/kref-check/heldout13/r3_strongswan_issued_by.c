/* SPDX-License-Identifier: MIT */
/*
 * Project: strongswan/strongswan
 * Path: src/libstrongswan/credentials/sets/cert_cache.c
 * Fix commit: a9f87d118e3a573311d1f200fd5be82b3b2894bb
 * Bug: issued_by() finds an equal issuer certificate in a cache line under
 * the line's read lock and keeps using that cached instance after the
 * unlock without taking a reference, so cache() or flush() on another
 * thread (or this thread replacing that line) can destroy it before
 * cache() gets its reference.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <kref.h>

#define CACHE_SIZE 32

typedef struct certificate_t {
	struct kref ref;
	void *encoding;
} certificate_t;

typedef struct {
	certificate_t *subject;
	certificate_t *issuer;
	int scheme;
	unsigned int hits;
	pthread_rwlock_t lock;
} relation_t;

typedef struct {
	relation_t relations[CACHE_SIZE];
} private_cert_cache_t;

/* compares the two certificates' encodings */
extern bool certificate_equals(certificate_t *a, certificate_t *b);
/* verifies subject's signature with issuer's public key */
extern bool certificate_check_issued_by(certificate_t *subject,
					certificate_t *issuer, int *scheme);
/* frees the encoding and the certificate */
extern void certificate_free(certificate_t *cert);

static void certificate_release(struct kref *ref)
{
	certificate_free(container_of(ref, certificate_t, ref));
}

static certificate_t *get_ref(certificate_t *cert)
{
	kref_get(&cert->ref);
	return cert;
}

static void destroy(certificate_t *cert)
{
	kref_put(&cert->ref, certificate_release);
}

/* stores subject/issuer in a random line, dropping what the line held */
static void cache(private_cert_cache_t *this, certificate_t *subject,
		  certificate_t *issuer, int scheme)
{
	relation_t *rel = &this->relations[rand() % CACHE_SIZE];

	pthread_rwlock_wrlock(&rel->lock);
	if (rel->subject != NULL) {
		destroy(rel->subject);
		destroy(rel->issuer);
	}
	rel->subject = get_ref(subject);
	rel->issuer = get_ref(issuer);
	rel->scheme = scheme;
	rel->hits = 0;
	pthread_rwlock_unlock(&rel->lock);
}

bool issued_by(private_cert_cache_t *this, certificate_t *subject,
	       certificate_t *issuer, int *schemep)
{
	relation_t *found = NULL, *current;
	int scheme, i;

	for (i = 0; i < CACHE_SIZE; i++) {
		current = &this->relations[i];

		pthread_rwlock_rdlock(&current->lock);
		if (current->subject != NULL &&
		    certificate_equals(issuer, current->issuer)) {
			issuer = current->issuer; /* expect: rule 3 */
			if (certificate_equals(subject, current->subject)) {
				current->hits++;
				found = current;
				if (schemep)
					*schemep = current->scheme;
			}
		}
		pthread_rwlock_unlock(&current->lock);
		if (found)
			return true;
	}
	if (certificate_check_issued_by(subject, issuer, &scheme)) {
		cache(this, subject, issuer, scheme);
		if (schemep)
			*schemep = scheme;
		return true;
	}
	return false;
}
