/* SPDX-License-Identifier: MIT */
/*
 * Project: nfs-ganesha/ntirpc
 * Path: src/svc_ioq.c
 * Fix: 0d41ced464bdc34379d692feb0b9468312e9755f
 * Bug: when writev() fails, svc_ioq_flushv() destroys the transport and so
 * drops the reference that its caller svc_ioq_write() holds, and
 * svc_ioq_write() then releases that same reference again (double unref).
 */
#include <kref.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/uio.h>

#define SVC_XPRT_FLAG_DESTROYING	0x0001
#define SVC_XPRT_FLAG_DESTROYED		0x0002

typedef struct svc_xprt {
	struct kref xp_refcnt;
	uint16_t xp_flags;
	int xp_fd;
} SVCXPRT;

/* one queued reply: the iovecs to write and the transport it goes out on */
struct xdr_ioq {
	struct xdr_ioq *next;
	SVCXPRT *xprt;
	struct iovec *iov;
	int iovcnt;
};

struct poolq_head {
	pthread_mutex_t qmutex;
	struct xdr_ioq *first;
	int qcount;
};

/* closes the socket and frees the transport's memory */
extern void svc_xprt_free(SVCXPRT *xprt);
/* frees the buffers of one reply */
extern void XDR_DESTROY(struct xdr_ioq *xioq);
/* number of threads of the work pool; 0 while shutting down */
extern unsigned int svc_work_pool_thrd_max;
/* picks the output queue of a file descriptor */
extern struct poolq_head *svc_ioq_ifqh(int fd);

static void svc_xprt_release(struct kref *kref)
{
	svc_xprt_free(container_of(kref, SVCXPRT, xp_refcnt));
}

static inline void SVC_REF(SVCXPRT *xprt)
{
	kref_get(&xprt->xp_refcnt);
}

static inline void SVC_RELEASE(SVCXPRT *xprt)
{
	kref_put(&xprt->xp_refcnt, svc_xprt_release);
}

/* SVC_RELEASE() with once-only semantics: marks the transport destroyed */
static inline void SVC_DESTROY(SVCXPRT *xprt)
{
	if (xprt->xp_flags & SVC_XPRT_FLAG_DESTROYING)
		return;
	xprt->xp_flags |= SVC_XPRT_FLAG_DESTROYING | SVC_XPRT_FLAG_DESTROYED;
	kref_put(&xprt->xp_refcnt, svc_xprt_release);
}

/* writes one reply; xprt is borrowed from svc_ioq_write() */
static inline void svc_ioq_flushv(SVCXPRT *xprt, struct xdr_ioq *xioq)
{
	struct iovec *iov = xioq->iov;
	int iovcnt = xioq->iovcnt;

	while (iovcnt > 0) {
		ssize_t result = writev(xprt->xp_fd, iov, iovcnt);

		if (result < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			SVC_DESTROY(xprt); /* expect: rule 2 */
			break;
		}
		/* skip what was written */
		while (iovcnt > 0 && (size_t)result >= iov->iov_len) {
			result -= iov->iov_len;
			iov++;
			iovcnt--;
		}
		if (iovcnt > 0) {
			iov->iov_base = (char *)iov->iov_base + result;
			iov->iov_len -= result;
		}
	}
}

/* writes xioq and then whatever else was queued meanwhile; each queued
 * reply holds one reference to its transport, dropped here */
static void svc_ioq_write(SVCXPRT *xprt, struct xdr_ioq *xioq,
			  struct poolq_head *ifph)
{
	for (;;) {
		/* the write runs without the queue lock */
		if (svc_work_pool_thrd_max
		 && !(xprt->xp_flags & SVC_XPRT_FLAG_DESTROYED))
			svc_ioq_flushv(xprt, xioq);

		SVC_RELEASE(xprt);
		XDR_DESTROY(xioq);

		pthread_mutex_lock(&ifph->qmutex);
		if (--(ifph->qcount) == 0)
			break;
		xioq = ifph->first;
		ifph->first = xioq->next;
		pthread_mutex_unlock(&ifph->qmutex);

		xprt = xioq->xprt;
	}
	pthread_mutex_unlock(&ifph->qmutex);
}

void svc_ioq_write_now(SVCXPRT *xprt, struct xdr_ioq *xioq)
{
	struct poolq_head *ifph = svc_ioq_ifqh(xprt->xp_fd);

	SVC_REF(xprt);
	xioq->xprt = xprt;
	pthread_mutex_lock(&ifph->qmutex);
	if ((ifph->qcount)++ > 0) {
		/* another thread is writing: queue behind it */
		struct xdr_ioq **pp = &ifph->first;

		while (*pp)
			pp = &(*pp)->next;
		xioq->next = NULL;
		*pp = xioq;
		pthread_mutex_unlock(&ifph->qmutex);
		return;
	}
	pthread_mutex_unlock(&ifph->qmutex);

	svc_ioq_write(xprt, xioq, ifph);
}
