/* SPDX-License-Identifier: MIT */
/*
 * Project: torvalds/linux
 * Path: net/core/sock.c, net/unix/af_unix.c
 * Fix commit: 35306eb23814444bd4021f8a1c3047d3cb0c8b2b
 *   ("af_unix: fix races in sk_peer_pid and sk_peer_cred accesses")
 * Bug: getsockopt(SO_PEERGROUPS) reads sk->sk_peer_cred with no lock and
 * no reference while af_unix's copy_peercred() can concurrently put that
 * cred and store a new one, so the reader can use a cred whose last
 * reference was just dropped.
 *
 * Written for libkref's held-out set: a reconstruction on struct kref, not
 * the kernel's code.  struct cred and struct pid are reduced to a count
 * and the fields read here.
 */
#include <string.h>
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

#define SO_PEERCRED	17
#define SO_PEERGROUPS	59

struct cred {
	struct kref usage;
	unsigned int euid;
	int ngroups;
	unsigned int groups[32];
};

struct pid {
	struct kref count;
	int nr;
};

struct sock {
	spinlock_t sk_peer_lock;
	struct pid *sk_peer_pid;
	struct cred *sk_peer_cred;
};

static void __put_cred(struct kref *kref)
{
	kfree(container_of(kref, struct cred, usage));
}

static inline struct cred *get_cred(struct cred *cred)
{
	if (cred)
		kref_get(&cred->usage);
	return cred;
}

static inline void put_cred(struct cred *cred)
{
	if (cred)
		kref_put(&cred->usage, __put_cred);
}

static void free_pid(struct kref *kref)
{
	kfree(container_of(kref, struct pid, count));
}

static inline struct pid *get_pid(struct pid *pid)
{
	if (pid)
		kref_get(&pid->count);
	return pid;
}

static inline void put_pid(struct pid *pid)
{
	if (pid)
		kref_put(&pid->count, free_pid);
}

/* Copies @n group ids to the caller's buffer. */
extern int groups_to_user(void *optval, const unsigned int *groups, int n);

static struct cred *sk_get_peer_cred(struct sock *sk)
{
	struct cred *cred;

	spin_lock(&sk->sk_peer_lock);
	cred = get_cred(sk->sk_peer_cred);
	spin_unlock(&sk->sk_peer_lock);

	return cred;
}

/* net/core/sock.c: runs on any thread that calls getsockopt(). */
int sock_getsockopt(struct sock *sk, int optname, void *optval, int *optlen)
{
	int len = *optlen;

	switch (optname) {
	case SO_PEERGROUPS: {
		struct cred *cred;
		int ret, n;

		cred = sk_get_peer_cred(sk);
		if (!cred)
			return -ENODATA;

		n = cred->ngroups;
		if (len < n * (int)sizeof(unsigned int)) {
			*optlen = n * sizeof(unsigned int);
			put_cred(cred);
			return -ERANGE;
		}
		len = n * sizeof(unsigned int);

		ret = groups_to_user(optval, cred->groups, n);
		put_cred(cred);
		if (ret)
			return ret;
		*optlen = len;
		return 0;
	}
	default:
		return -ENOPROTOOPT;
	}
}

/* net/unix/af_unix.c: connect() copies the listener's credentials. */
void copy_peercred(struct sock *sk, struct sock *peersk)
{
	struct cred *old_cred;
	struct pid *old_pid;

	if (sk < peersk) {
		spin_lock(&sk->sk_peer_lock);
		spin_lock(&peersk->sk_peer_lock);
	} else {
		spin_lock(&peersk->sk_peer_lock);
		spin_lock(&sk->sk_peer_lock);
	}
	old_pid = sk->sk_peer_pid;
	old_cred = sk->sk_peer_cred;
	sk->sk_peer_pid  = get_pid(peersk->sk_peer_pid);
	sk->sk_peer_cred = get_cred(peersk->sk_peer_cred);

	spin_unlock(&sk->sk_peer_lock);
	spin_unlock(&peersk->sk_peer_lock);

	put_pid(old_pid);
	put_cred(old_cred);
}
