/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/gnome-keyring
 * Path:    pkcs11/xdg-store/gkm-xdg-trust.c
 * Fix:     0db2253d64b5607bf20e4e17060de81450e91797
 * Bug: when a transaction is active, remove_assertion_from_trust() steals the
 * entry from the assertions table, which hands it the table's reference on
 * the key, and then never drops that reference, so the key leaks.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

/* The assertion key (a GBytes in the project). */
struct assertion_key {
	struct kref ref;
	char *data;
	size_t len;
};

struct GkmAssertion {
	struct assertion_key *key;	/* owned by the assertion */
};

struct GkmTransaction;

struct GkmXdgTrust {
	void *assertions;		/* table key -> assertion, holds a key ref */
};

typedef bool (*GkmTransactionFunc)(struct GkmTransaction *transaction,
				   struct GkmXdgTrust *self, void *user_data);

/* Unlinks the entry and drops the table's key reference (destroy notify). */
extern bool assertions_remove(void *table, struct assertion_key *key);
/* Unlinks the entry without any destroy notify: the table's key reference
 * passes to the caller. */
extern bool assertions_steal(void *table, struct assertion_key *key);
/* Hides or shows the object on the PKCS#11 side. */
extern void gkm_object_expose(struct GkmAssertion *assertion, bool expose);
/* Queues a completion callback that runs when the transaction ends. */
extern void gkm_transaction_add(struct GkmTransaction *transaction,
				struct GkmXdgTrust *self,
				GkmTransactionFunc func, void *user_data);
/* Puts the assertion back or disposes it when the transaction completes. */
extern bool complete_remove_assertion(struct GkmTransaction *transaction,
				      struct GkmXdgTrust *self, void *user_data);

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

void remove_assertion_from_trust(struct GkmXdgTrust *self,
				 struct GkmAssertion *assertion,
				 struct GkmTransaction *transaction)
{
	struct assertion_key *key;

	key = lookup_assertion_key(assertion);
	if (key == NULL)
		return;

	gkm_object_expose(assertion, false);

	if (transaction == NULL) {
		if (!assertions_remove(self->assertions, key))
			return;
	} else {
		if (!assertions_steal(self->assertions, key))
			return;
		gkm_transaction_add(transaction, self, complete_remove_assertion,
				    assertion);
		kref_put(&key->ref, assertion_key_release);
	}
}
