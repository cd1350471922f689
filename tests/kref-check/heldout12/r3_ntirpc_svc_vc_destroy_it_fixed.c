/* SPDX-License-Identifier: MIT */
/*
 * Project: nfs-ganesha/ntirpc
 * Path: src/svc_vc.c (and ntirpc/rpc/svc.h)
 * Fix commit: eed2cc7999d3f5ad1c1e512706622fde1c05713e
 * Bug: a transport is only removed from the fd lookup table by its destroy
 * method, run after the last reference is gone, so svc_xprt_lookup() can
 * still find it and take a reference from 0 to 1.
 */
#include <stdint.h>
#include <stddef.h>
#include <pthread.h>
#include <kref.h>

#define SVC_XPRT_FLAG_DESTROYING 0x0001

typedef struct svc_xprt {
	struct svc_xprt *xp_next;	/* fd lookup table chain */
	int xp_fd;
	uint16_t xp_flags;
	struct kref xp_refcnt;		/* sentinel ref until SVC_DESTROY */
} SVCXPRT;

/* the fd lookup table (one partition shown) */
static pthread_rwlock_t svc_xprt_fd_lock = PTHREAD_RWLOCK_INITIALIZER;
static SVCXPRT *svc_xprt_fd_head;

/* takes the transport off its event channel (epoll) */
extern void svc_rqst_unreg(SVCXPRT *xprt);
/* queues the work item that closes the fd and frees the transport */
extern void svc_vc_xprt_free(SVCXPRT *xprt);

/* Returns the transport for fd with a reference, or NULL. */
SVCXPRT *svc_xprt_lookup(int fd)
{
	SVCXPRT *xprt;

	pthread_rwlock_rdlock(&svc_xprt_fd_lock);
	for (xprt = svc_xprt_fd_head; xprt; xprt = xprt->xp_next)
		if (xprt->xp_fd == fd)
			break;
	/* lookup reference before unlock ensures shutdown cannot release */
	if (xprt)
		kref_get(&xprt->xp_refcnt);
	pthread_rwlock_unlock(&svc_xprt_fd_lock);
	return xprt;
}

void svc_xprt_clear(SVCXPRT *xprt)
{
	SVCXPRT **pp;

	pthread_rwlock_wrlock(&svc_xprt_fd_lock);
	for (pp = &svc_xprt_fd_head; *pp; pp = &(*pp)->xp_next)
		if (*pp == xprt) {
			*pp = xprt->xp_next;
			break;
		}
	pthread_rwlock_unlock(&svc_xprt_fd_lock);
}

void svc_rqst_xprt_unregister(SVCXPRT *xprt)
{
	/* remove from the transport list so other lookups cannot re-use it */
	svc_xprt_clear(xprt);
	svc_rqst_unreg(xprt);
}

/* unlink xprt from its lookup table */
static void svc_vc_unlink_it(SVCXPRT *xprt)
{
	svc_rqst_xprt_unregister(xprt);
}

/* actually destroy, after the last reference is dropped */
static void svc_vc_destroy_it(struct kref *kref)
{
	SVCXPRT *xprt = container_of(kref, SVCXPRT, xp_refcnt);

	svc_vc_xprt_free(xprt);
}

void svc_release_it(SVCXPRT *xprt)
{
	kref_put(&xprt->xp_refcnt, svc_vc_destroy_it);
}

/* SVC_DESTROY(): SVC_RELEASE() of the sentinel ref, once only */
void svc_destroy_it(SVCXPRT *xprt)
{
	uint16_t flags = __atomic_fetch_or(&xprt->xp_flags,
					   SVC_XPRT_FLAG_DESTROYING,
					   __ATOMIC_SEQ_CST);

	if (flags & SVC_XPRT_FLAG_DESTROYING) {
		/* previously set, do nothing */
		return;
	}

	/* unlink before dropping last ref */
	svc_vc_unlink_it(xprt);

	svc_release_it(xprt);
}
