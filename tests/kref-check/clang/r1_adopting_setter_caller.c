/* SPDX-License-Identifier: MIT */
/* Rule 1: a setter documented to adopt the caller's reference is given a
 * shared object with none taken for it: the finding is at the call. */
#include <stdlib.h>
#include <kref.h>

struct store { struct kref ref; int certs; };
struct ctx { struct store *store; };

static struct store *shared_store;

static void store_release(struct kref *ref)
{
	free(container_of(ref, struct store, ref));
}

/* adopts the caller's reference; puts the old store */
static void ctx_set_store(struct ctx *c, struct store *st)
{
	if (c->store)
		kref_put(&c->store->ref, store_release);
	c->store = st;
}

struct ctx *ctx_new(void)
{
	struct ctx *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	if (shared_store)
		ctx_set_store(c, shared_store);	/* expect: rule 1 */
	return c;
}
