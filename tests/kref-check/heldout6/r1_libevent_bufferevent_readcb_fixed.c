/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: libevent/libevent commit
 * a6b96082b6f86c5c3aa31963b719aa995cf36af6 "Always hold a reference to a
 * bufferevent when calling its callbacks." (svn r1347), bufferevent_sock.c
 * bufferevent_readcb() (and the other handlers).  The read handler locks
 * the bufferevent and runs the user's read callback, which may call
 * bufferevent_free(), dropping the last reference and freeing it with its
 * lock; the handler then unlocks it.  The handler handed the bufferevent to
 * the callback holding no reference of its own.  The fix takes one with
 * _bufferevent_incref_and_lock() and drops it with
 * _bufferevent_decref_and_unlock().  refcnt is written with a kref.
 */
#include <stdlib.h>
#include <kref.h>

enum { BEV_EVENT_READING = 0x01, BEV_EVENT_EOF = 0x10, BEV_EVENT_ERROR = 0x20, BEV_EVENT_TIMEOUT = 0x40 };
#define EV_TIMEOUT 0x01

struct evbuffer;
struct bufferevent;
typedef void (*bufferevent_data_cb)(struct bufferevent *bev, void *ctx);

struct bufferevent {
	struct evbuffer *input;
	bufferevent_data_cb readcb;
	void *cbarg;
	size_t wm_read_low;
	void *ev_read;
};

struct bufferevent_private {
	struct bufferevent bev;
	struct kref refcnt;
	void *lock;
};

extern void BEV_LOCK(struct bufferevent *bev);
extern void BEV_UNLOCK(struct bufferevent *bev);
/* Reads from fd into buf: bytes read, 0 at EOF, -1 on error. */
extern int evbuffer_read(struct evbuffer *buf, int fd, int howmuch);
extern size_t evbuffer_get_length(const struct evbuffer *buf);
extern void event_del(void *ev);
/* Runs the user's event callback (which may free the bufferevent too). */
extern void _bufferevent_run_eventcb(struct bufferevent *bev, short what);
/* be_ops->destruct(), the evbuffers and the lock: everything but the memory. */
extern void bufferevent_destruct(struct bufferevent *bev);

static void bufferevent_finalize(struct kref *ref)
{
	struct bufferevent_private *p = container_of(ref, struct bufferevent_private, refcnt);

	bufferevent_destruct(&p->bev);
	free(p);
}

void _bufferevent_decref_and_unlock(struct bufferevent *bufev)
{
	struct bufferevent_private *p = container_of(bufev, struct bufferevent_private, bev);

	BEV_UNLOCK(bufev);
	kref_put(&p->refcnt, bufferevent_finalize);
}

/* The user's call: drops the reference bufferevent_socket_new() gave it. */
void bufferevent_free(struct bufferevent *bufev)
{
	BEV_LOCK(bufev);
	_bufferevent_decref_and_unlock(bufev);
}

void _bufferevent_incref_and_lock(struct bufferevent *bufev)
{
	struct bufferevent_private *p = container_of(bufev, struct bufferevent_private, bev);

	BEV_LOCK(bufev);
	kref_get(&p->refcnt);
}

/* Requires that we hold the lock and a reference */
static void _bufferevent_run_readcb(struct bufferevent *bufev)
{
	bufev->readcb(bufev, bufev->cbarg);
}

/* The ev_read handler: event_assign(&bufev->ev_read, ..., bufferevent_readcb, bufev). */
void bufferevent_readcb(int fd, short event, void *arg)
{
	struct bufferevent *bufev = arg;
	short what = BEV_EVENT_READING;
	int res;

	_bufferevent_incref_and_lock(bufev);

	if (event == EV_TIMEOUT) {
		what |= BEV_EVENT_TIMEOUT;
		goto error;
	}

	res = evbuffer_read(bufev->input, fd, -1);
	if (res == -1)
		what |= BEV_EVENT_ERROR;
	else if (res == 0)
		what |= BEV_EVENT_EOF;
	if (res <= 0)
		goto error;

	/* Invoke the user callback - must always be called last */
	if (evbuffer_get_length(bufev->input) >= bufev->wm_read_low && bufev->readcb != NULL)
		_bufferevent_run_readcb(bufev);

	goto done;

 error:
	event_del(bufev->ev_read);
	_bufferevent_run_eventcb(bufev, what);

 done:
	_bufferevent_decref_and_unlock(bufev);
}
