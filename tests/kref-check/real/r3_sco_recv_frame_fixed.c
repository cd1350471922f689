/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r3_sco_recv_frame.c (own code): torvalds/linux commit
 * 598dbba9919c5e36c54fe1709b557d64120cb94b, net/bluetooth/sco.c.  The
 * reference is taken under the connection lock (sco_sock_hold) and put on
 * every exit.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct sock { struct kref refcnt; int sk_state; };
struct sco_conn { spinlock_t lock; struct sock *sk; };
struct sk_buff;

int sock_queue_rcv_skb(struct sock *sk, struct sk_buff *skb);
void kfree_skb(struct sk_buff *skb);

static void sk_free(struct kref *ref)
{
	kfree(container_of(ref, struct sock, refcnt));
}

void sock_put(struct sock *sk)
{
	kref_put(&sk->refcnt, sk_free);
}

static struct sock *sco_sock_hold(struct sco_conn *conn)
{
	struct sock *sk;

	spin_lock(&conn->lock);
	sk = conn->sk;
	if (sk)
		kref_get(&sk->refcnt);
	spin_unlock(&conn->lock);
	return sk;
}

void sco_recv_frame(struct sco_conn *conn, struct sk_buff *skb)
{
	struct sock *sk = sco_sock_hold(conn);

	if (!sk)
		goto drop;
	if (sk->sk_state != 1)
		goto drop_put;
	if (!sock_queue_rcv_skb(sk, skb)) {
		sock_put(sk);
		return;
	}
drop_put:
	sock_put(sk);
drop:
	kfree_skb(skb);
}
