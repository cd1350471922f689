/* SPDX-License-Identifier: MIT */
/* Rule 2 through a helper: peer_destroy frees everything and is right in
 * the release function, but the disconnect path calls it directly while
 * other threads may still hold references. */
#include <stdlib.h>
#include <string.h>
#include <kref.h>

struct peer {
	struct kref ref;
	char *name;
	unsigned char *rxbuf;
	int connected;
};

static void peer_destroy(struct peer *p)
{
	free(p->name);
	free(p->rxbuf);
	free(p);
}

static void peer_release(struct kref *ref)
{
	peer_destroy(container_of(ref, struct peer, ref));
}

struct peer *peer_new(const char *name)
{
	struct peer *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->name = strdup(name);
	p->rxbuf = malloc(4096);
	if (!p->name || !p->rxbuf) {
		peer_destroy(p);	/* fine: nobody has seen it yet */
		return NULL;
	}
	kref_init(&p->ref);
	return p;
}

void peer_unref(struct peer *p)
{
	kref_put(&p->ref, peer_release);
}

void peer_disconnect(struct peer *p)
{
	p->connected = 0;
	peer_destroy(p);	/* expect: rule 2 */
}
