/* SPDX-License-Identifier: MIT */
/* Correct: a handle embedded in the object, closed (not "stopped") in teardown */
#include <stdlib.h>
#include <kref.h>
struct loop;
struct io { int fd; void *data; };
typedef void (*io_cb)(struct io *w, void *data);
int io_watch_start(struct loop *l, struct io *w, io_cb cb, void *data);
void io_watch_close(struct io *w);
struct client { struct kref ref; struct io io; int n; };
static void client_release(struct kref *r)
{
	struct client *c = container_of(r, struct client, ref);
	io_watch_close(&c->io);
	free(c);
}
void client_put(struct client *c) { kref_put(&c->ref, client_release); }
static void on_readable(struct io *w, void *data)
{
	struct client *c = data;
	c->n++;
}
int client_watch(struct loop *l, struct client *c)
{
	return io_watch_start(l, &c->io, on_readable, c);
}
