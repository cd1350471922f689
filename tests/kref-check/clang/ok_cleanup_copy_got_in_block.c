/* SPDX-License-Identifier: MIT */
/* Kept: the copy is made after a get, in the block, with the
 * get on the cleanup variable before the assignment. */
#include <stdlib.h>
#include <kref.h>

struct key { struct kref ref; unsigned char bytes[32]; };

static void key_release(struct kref *ref)
{
	free(container_of(ref, struct key, ref));
}

static void key_put(struct key *k)
{
	if (k)
		kref_put(&k->ref, key_release);
}

static void key_autoput(struct key **k)
{
	key_put(*k);
}

/* Returns the named key with a new reference, or NULL. */
extern struct key *keyring_find(const char *name);
extern int key_sign(struct key *k, const void *msg, size_t len);

int sign_with_first(const char *a, const char *b, const void *msg, size_t len)
{
	struct key *chosen = NULL;
	int ret;

	{
		struct key *k __attribute__((cleanup(key_autoput))) = keyring_find(a);

		if (k) {
			kref_get(&k->ref);
			chosen = k;
		}
	}
	if (!chosen)
		chosen = keyring_find(b);
	if (!chosen)
		return -1;
	ret = key_sign(chosen, msg, len);
	key_put(chosen);
	return ret;
}
