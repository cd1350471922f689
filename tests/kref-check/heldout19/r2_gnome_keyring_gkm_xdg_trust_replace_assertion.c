/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/gnome-keyring
 * Path:    pkcs11/xdg-store/gkm-xdg-trust.c
 * Fix:     37c493c086f1721d6dea77bac462e60dc23096df
 * Bug: gkm_xdg_trust_replace_assertion() drops a reference on the assertion
 * key that lookup_or_create_assertion_key() only lent it (the assertion owns
 * it), so the key is later put once too often and used after it was freed.
 */
#include <stdlib.h>
#include <kref.h>

/* The assertion key (a GBytes in the project). */
struct assertion_key {
	struct kref ref;
	char *data;
	size_t len;
};

struct GkmAssertion {
	struct assertion_key *key;	/* owned: one reference, set on first use */
};

struct GkmTransaction;

struct GkmXdgTrust {
	void *assertions;		/* table key -> assertion, holds a key ref */
};

/* Builds a new key from purpose and peer; the caller owns the reference. */
extern struct assertion_key *create_assertion_key(struct GkmAssertion *assertion);
/* Table lookup; returns a borrowed assertion or NULL. */
extern struct GkmAssertion *assertions_lookup(void *table, struct assertion_key *key);
/* Table insert; takes over the key reference passed in. */
extern void assertions_insert(void *table, struct assertion_key *key,
			      struct GkmAssertion *assertion);
/* Unlinks the assertion from the table (drops the table's key reference). */
extern void remove_assertion_from_trust(struct GkmXdgTrust *self,
					struct GkmAssertion *previous,
					struct GkmTransaction *transaction);

void assertion_key_release(struct kref *ref)
{
	struct assertion_key *key = container_of(ref, struct assertion_key, ref);

	free(key->data);
	free(key);
}

static struct assertion_key *lookup_assertion_key(struct GkmAssertion *assertion)
{
	return assertion->key;		/* borrowed */
}

/* Returns a borrowed key: the assertion keeps the only reference. */
static struct assertion_key *lookup_or_create_assertion_key(struct GkmAssertion *assertion)
{
	struct assertion_key *key;

	key = lookup_assertion_key(assertion);
	if (key == NULL) {
		key = create_assertion_key(assertion);
		assertion->key = key;	/* the assertion now owns this reference */
	}
	return key;
}

static void add_assertion_to_trust(struct GkmXdgTrust *self,
				   struct GkmAssertion *assertion,
				   struct GkmTransaction *transaction)
{
	struct assertion_key *key;

	(void)transaction;
	key = lookup_or_create_assertion_key(assertion);
	kref_get(&key->ref);		/* the table's own reference */
	assertions_insert(self->assertions, key, assertion);
}

void gkm_xdg_trust_replace_assertion(struct GkmXdgTrust *self,
				     struct GkmAssertion *assertion,
				     struct GkmTransaction *transaction)
{
	struct GkmAssertion *previous;
	struct assertion_key *key;

	/* Build up a key if the assertion has none yet */
	key = lookup_or_create_assertion_key(assertion);

	/* Drop any earlier assertion filed under the same key */
	previous = assertions_lookup(self->assertions, key);
	if (previous != NULL)
		remove_assertion_from_trust(self, previous, transaction);
	add_assertion_to_trust(self, assertion, transaction);

	kref_put(&key->ref, assertion_key_release); /* expect: rule 2 */
}
