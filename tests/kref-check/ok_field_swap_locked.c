/* SPDX-License-Identifier: MIT */
/* Correct: rekeying swaps the session's key under its lock and puts the
 * old one; readers read the field and take a reference under the same
 * lock, use the key after the unlock only through that reference, and put
 * it when done, or use it only while holding the lock. */
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

struct cipher_key {
	struct kref kref;
	int bits;
	unsigned char data[32];
};

struct session {
	spinlock_t lock;
	struct cipher_key *key;
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
	int bits = 0;

	spin_lock(&s->lock);
	k = s->key;
	if (k)
		bits = k->bits;
	spin_unlock(&s->lock);
	return bits;
}

unsigned char session_key_byte(struct session *s, int i)
{
	struct cipher_key *k;
	unsigned char b;

	spin_lock(&s->lock);
	k = s->key;
	kref_get(&k->kref);
	spin_unlock(&s->lock);
	b = k->data[i];
	cipher_key_put(k);
	return b;
}
