/* SPDX-License-Identifier: MIT */
/* A service client makes two proxies with references of its own; when the
 * service answers nothing, each proxy that was made is put and its pointer
 * cleared, so the client's teardown does not put it again. */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

struct proxy {
	struct kref ref;
};

struct client {
	struct proxy *control;	/* owned */
	struct proxy *data;	/* owned */
};

/* Creates a proxy for the named object; returns a new reference or NULL. */
extern struct proxy *proxy_new(const char *path);
/* Asks the service for its version; false when it does not answer. */
extern bool proxy_ping(struct proxy *p);

static void proxy_free(struct kref *ref)
{
	free(container_of(ref, struct proxy, ref));
}

void proxy_unref(struct proxy *p)
{
	kref_put(&p->ref, proxy_free);
}

void client_teardown(struct client *c)
{
	if (c->control)
		proxy_unref(c->control);
	if (c->data)
		proxy_unref(c->data);
	free(c);
}

bool client_connect(struct client *c)
{
	c->control = proxy_new("/control");
	c->data = proxy_new("/data");
	if (!c->control || !proxy_ping(c->control)) {
		if (c->control) {
			proxy_unref(c->control);
			c->control = NULL;
		}
		if (c->data) {
			proxy_unref(c->data);
			c->data = NULL;
		}
		return false;
	}
	return true;
}
