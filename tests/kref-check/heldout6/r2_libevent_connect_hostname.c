/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: libevent/libevent commit
 * b7577868a8975fa17d77cf438141884bf081a6b2 "Prevent reference leak of
 * bufferevent if getaddrinfo fails.", bufferevent_sock.c,
 * bufferevent_socket_connect_hostname().  Before starting the asynchronous
 * lookup the function takes a reference on the bufferevent for
 * bufferevent_connect_getaddrinfo_cb(), which drops it.  When
 * evutil_getaddrinfo_async_() fails the callback is never scheduled, and
 * the error branch only unsuspends the bufferevent: the reference leaks
 * and the bufferevent is never freed.  The fix adds bufferevent_decref_()
 * to that branch.  The bufferevent's refcnt is written with a kref.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <kref.h>

#define BEV_SUSPEND_LOOKUP 0x08
#define BEV_EVENT_ERROR 0x20

struct evutil_addrinfo { int ai_family, ai_socktype, ai_protocol; void *ai_addr; int ai_addrlen; };
struct evdns_base;
struct bufferevent { void *lock; };
struct bufferevent_private {
	struct bufferevent bev;
	struct kref refcnt;
	int dns_error;
};
#define EVUTIL_UPCAST(ptr, type, field) container_of(ptr, type, field)

typedef void (*evdns_getaddrinfo_cb)(int result, struct evutil_addrinfo *ai, void *arg);

extern void BEV_LOCK(struct bufferevent *bev);
extern void BEV_UNLOCK(struct bufferevent *bev);
extern void bufferevent_suspend_read_(struct bufferevent *bev, int what);
extern void bufferevent_suspend_write_(struct bufferevent *bev, int what);
extern void bufferevent_unsuspend_read_(struct bufferevent *bev, int what);
extern void bufferevent_unsuspend_write_(struct bufferevent *bev, int what);
extern void bufferevent_run_eventcb_(struct bufferevent *bev, short what);
extern int bufferevent_socket_connect(struct bufferevent *bev, void *sa, int socklen);
extern void evutil_freeaddrinfo(struct evutil_addrinfo *ai);
/* Starts the lookup; cb(arg) runs later from the event loop.  0 if started, -1 if not (cb never runs). */
extern int evutil_getaddrinfo_async_(struct evdns_base *dns_base, const char *nodename,
    const char *servname, const struct evutil_addrinfo *hints_in, evdns_getaddrinfo_cb cb, void *arg);

static void bufferevent_finalize_(struct kref *ref)
{
	free(container_of(ref, struct bufferevent_private, refcnt));
}

static void bufferevent_incref_(struct bufferevent *bev)
{
	kref_get(&EVUTIL_UPCAST(bev, struct bufferevent_private, bev)->refcnt);
}

static void bufferevent_decref_(struct bufferevent *bev)
{
	kref_put(&EVUTIL_UPCAST(bev, struct bufferevent_private, bev)->refcnt, bufferevent_finalize_);
}

static void bufferevent_connect_getaddrinfo_cb(int result, struct evutil_addrinfo *ai, void *arg)
{
	struct bufferevent *bev = arg;
	struct bufferevent_private *bev_p = EVUTIL_UPCAST(bev, struct bufferevent_private, bev);

	BEV_LOCK(bev);
	bufferevent_unsuspend_write_(bev, BEV_SUSPEND_LOOKUP);
	bufferevent_unsuspend_read_(bev, BEV_SUSPEND_LOOKUP);
	if (result != 0) {
		bev_p->dns_error = result;
		bufferevent_run_eventcb_(bev, BEV_EVENT_ERROR);
	} else {
		(void)bufferevent_socket_connect(bev, ai->ai_addr, ai->ai_addrlen);
	}
	BEV_UNLOCK(bev);
	bufferevent_decref_(bev);	/* bufferevent_decref_and_unlock_() */
	if (ai)
		evutil_freeaddrinfo(ai);
}

int bufferevent_socket_connect_hostname(struct bufferevent *bev,
    struct evdns_base *evdns_base, int family, const char *hostname, int port)
{
	char portbuf[10];
	struct evutil_addrinfo hint;
	int err;

	if (port < 1 || port > 65535)
		return -1;

	snprintf(portbuf, sizeof(portbuf), "%d", port);
	memset(&hint, 0, sizeof(hint));
	hint.ai_family = family;

	bufferevent_suspend_write_(bev, BEV_SUSPEND_LOOKUP);
	bufferevent_suspend_read_(bev, BEV_SUSPEND_LOOKUP);

	bufferevent_incref_(bev);
	err = evutil_getaddrinfo_async_(evdns_base, hostname, portbuf,
	    &hint, bufferevent_connect_getaddrinfo_cb, bev);

	if (err == 0) {
		return 0;
	} else {
		bufferevent_unsuspend_write_(bev, BEV_SUSPEND_LOOKUP);
		bufferevent_unsuspend_read_(bev, BEV_SUSPEND_LOOKUP);
		return -1; /* expect: rule 2 */
	}
}
