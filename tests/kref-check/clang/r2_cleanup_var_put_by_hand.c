/* SPDX-License-Identifier: MIT */
/* Rule 2: the key is held by a variable whose cleanup (libkref's __free)
 * puts it at the end of the function; the error path puts it by hand too. */
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
	if (key_verify(k, msg, len) != 0) {
		key_put(k);
		return -2;	/* expect: rule 2 */
	}
	return 0;
}
