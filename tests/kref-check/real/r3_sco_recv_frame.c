/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 598dbba9919c5e36c54fe1709b557d64120cb94b "Bluetooth: SCO: Fix
 * use-after-free in sco_recv_frame() due to missing sock_hold",
 * net/bluetooth/sco.c.  sco_recv_frame() read conn->sk under the
 * connection lock and dropped the lock without taking a reference, then
 * used the socket, which a concurrent close() could free.
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

void sco_recv_frame(struct sco_conn *conn, struct sk_buff *skb)
{
	struct sock *sk;

	spin_lock(&conn->lock);
	sk = conn->sk;
	spin_unlock(&conn->lock);

	if (!sk)
		goto drop;
	if (sk->sk_state != 1)	/* expect: rule 3 */
		goto drop;
	if (!sock_queue_rcv_skb(sk, skb))
		return;
drop:
	kfree_skb(skb);
}
