/* SPDX-License-Identifier: MIT */
/* Correct: a session's key is swapped under the session's lock, and read
 * there with a reference; a backup slot also has a member named key, but
 * it is set once when the slot is made (with a reference of its own) and
 * never replaced, so reading it with no lock is fine while the caller
 * holds the slot. */
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

struct cipher_key {
	struct kref kref;
	int bits;
};

struct session {
	spinlock_t lock;
	struct cipher_key *key;
};

struct backup_slot {
	struct cipher_key *key;
	int generation;
};

static void cipher_key_free(struct kref *kref)
{
	kfree(container_of(kref, struct cipher_key, kref));
}

void cipher_key_put(struct cipher_key *k)
{
	kref_put(&k->kref, cipher_key_free);
}

void session_rekey(struct session *s, struct cipher_key *k)
{
	struct cipher_key *old;

	kref_get(&k->kref);
	spin_lock(&s->lock);
	old = s->key;
	s->key = k;
	spin_unlock(&s->lock);
	if (old)
		cipher_key_put(old);
}

int session_key_bits(struct session *s)
{
	struct cipher_key *k;
	int bits;

	spin_lock(&s->lock);
	k = s->key;
	kref_get(&k->kref);
	spin_unlock(&s->lock);
	bits = k->bits;
	cipher_key_put(k);
	return bits;
}

int backup_key_bits(struct backup_slot *slot)
{
	struct cipher_key *k = slot->key;

	return k->bits;
}
