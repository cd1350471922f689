/* SPDX-License-Identifier: MIT */
/* The key is held by a variable whose cleanup puts it at the end of the
 * function, on every path. */
#include <stdlib.h>
#include <kref.h>

struct key { struct kref ref; unsigned char bytes[32]; };

/* Returns the named key with a new reference, or NULL. */
extern struct key *keyring_find(const char *name);
extern int key_verify(const struct key *k, const void *msg, size_t len);

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

int verify(const char *name, const void *msg, size_t len)
{
	struct key *k __attribute__((cleanup(key_autoput))) = keyring_find(name);

	if (!k)
		return -1;
	if (key_verify(k, msg, len) != 0)
		return -2;
	return 0;
}
