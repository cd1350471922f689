/* SPDX-License-Identifier: MIT */
/* Rule 1 kept: a reference is taken for the callback, which puts it. */
#include <stdlib.h>
#include <kref.h>

struct peer { struct kref ref; int fd; };
typedef void (*resolved_fn)(struct peer *peer, int status);

/* Resolves the peer's name in the background and calls done(peer, status)
 * later from the event loop. */
extern void resolver_lookup_async(const char *name, struct peer *peer, resolved_fn done);

static void peer_release(struct kref *ref)
{
	free(container_of(ref, struct peer, ref));
}

static void on_resolved(struct peer *peer, int status)
{
	peer->fd = status;
	kref_put(&peer->ref, peer_release);
}

void peer_connect(struct peer *peer, const char *name)
{
	kref_get(&peer->ref);
	resolver_lookup_async(name, peer, on_resolved);
}
