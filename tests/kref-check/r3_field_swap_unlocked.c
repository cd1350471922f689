/* SPDX-License-Identifier: MIT */
/* Rule 3: a session's current key is another object's field.  Rekeying
 * swaps it under the session's lock and puts the old key, so a reader
 * that reads the field without the lock, or reads it under the lock but
 * uses the key after dropping it without taking a reference, can be
 * using a freed key. */
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
	struct cipher_key *k = s->key;	/* expect: rule 3 */

	return k ? k->bits : 0;
}

unsigned char session_key_byte(struct session *s, int i)
{
	struct cipher_key *k;

	spin_lock(&s->lock);
	k = s->key;
	spin_unlock(&s->lock);
	return k->data[i];	/* expect: rule 3 */
}
