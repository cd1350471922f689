/* SPDX-License-Identifier: MIT */
/*
 * Project: strongswan/strongswan
 * Path: src/libtls/tls_server.c
 * Fix commit: 4d3fc90cafc1ee15e90f7af354ae2270fdce994e
 * Bug: tls_find_public_key() drops its reference on the peer certificate's
 * key after reading the key type, but when no trusted key is found it still
 * returns that pointer, which the caller then destroys a second time.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <kref.h>

typedef enum { KEY_ANY, KEY_RSA, KEY_ECDSA } key_type_t;

typedef struct public_key_t {
	struct kref ref;
	key_type_t type;
} public_key_t;

typedef struct certificate_t certificate_t;
typedef struct identification_t identification_t;
typedef struct auth_cfg_t auth_cfg_t;
typedef struct enumerator_t enumerator_t;

/* returns the peer's subject certificate, borrowed from the auth config */
extern certificate_t *auth_cfg_get_subject_cert(auth_cfg_t *auth);
/* merges the rules of other into auth */
extern void auth_cfg_merge(auth_cfg_t *auth, auth_cfg_t *other);
/* returns a new reference on the certificate's public key, or NULL */
extern public_key_t *certificate_get_public_key(certificate_t *cert);
/* compares two certificates */
extern bool certificate_equals(certificate_t *a, certificate_t *b);
/* enumerates trusted keys of the given type for the identity */
extern enumerator_t *credmgr_create_public_enumerator(key_type_t type,
						       identification_t *id,
						       auth_cfg_t *auth);
/* yields the next key and its auth config, both borrowed from the enumerator */
extern bool enumerator_enumerate(enumerator_t *e, public_key_t **key, auth_cfg_t **auth);
/* destroys the enumerator and what it lent */
extern void enumerator_destroy(enumerator_t *e);

static void public_key_release(struct kref *ref)
{
	free(container_of(ref, public_key_t, ref));
}

public_key_t *public_key_get_ref(public_key_t *key)
{
	kref_get(&key->ref);
	return key;
}

void public_key_destroy(public_key_t *key)
{
	kref_put(&key->ref, public_key_release);
}

static key_type_t public_key_get_type(public_key_t *key)
{
	return key->type;
}

/* Find a trusted public key to encrypt/verify key exchange data */
public_key_t *tls_find_public_key(auth_cfg_t *peer_auth, identification_t *id)
{
	public_key_t *public = NULL, *current;
	certificate_t *cert, *found;
	key_type_t key_type = KEY_ANY;
	enumerator_t *enumerator;
	auth_cfg_t *auth;

	cert = auth_cfg_get_subject_cert(peer_auth);
	if (cert) {
		current = certificate_get_public_key(cert);
		if (current) {
			key_type = public_key_get_type(current);
			public_key_destroy(current);
		}
		enumerator = credmgr_create_public_enumerator(key_type, id, peer_auth);
		while (enumerator_enumerate(enumerator, &current, &auth)) {
			found = auth_cfg_get_subject_cert(auth);
			if (found && certificate_equals(cert, found)) {
				public = public_key_get_ref(current);
				auth_cfg_merge(peer_auth, auth);
				break;
			}
		}
		enumerator_destroy(enumerator);
	}
	return public;
}
