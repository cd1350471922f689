/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r3_l2tp_session_find.c (own code): torvalds/linux commit
 * 61b9a047729bb230978178bca6729689d0c50ca2, net/l2tp/l2tp_core.c.  The new
 * l2tp_session_get() takes the reference inside the lookup's critical
 * section; the caller drops it after l2tp_recv_common().
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct l2tp_tunnel { spinlock_t hlist_lock; struct list_head sessions; };
struct l2tp_session { struct kref ref; struct list_head hlist; unsigned int session_id; long rx_packets; };
struct sk_buff;

static void l2tp_session_free(struct kref *ref)
{
	kfree(container_of(ref, struct l2tp_session, ref));
}

static void l2tp_session_dec_refcount(struct l2tp_session *session)
{
	kref_put(&session->ref, l2tp_session_free);
}

struct l2tp_session *l2tp_session_get(struct l2tp_tunnel *tunnel, unsigned int id)
{
	struct l2tp_session *session;

	spin_lock_bh(&tunnel->hlist_lock);
	list_for_each_entry(session, &tunnel->sessions, hlist) {
		if (session->session_id == id) {
			kref_get(&session->ref);
			spin_unlock_bh(&tunnel->hlist_lock);
			return session;
		}
	}
	spin_unlock_bh(&tunnel->hlist_lock);
	return NULL;
}

static void l2tp_recv_common(struct l2tp_session *session, struct sk_buff *skb)
{
	session->rx_packets++;
}

int l2tp_udp_recv_core(struct l2tp_tunnel *tunnel, unsigned int id, struct sk_buff *skb)
{
	struct l2tp_session *session = l2tp_session_get(tunnel, id);

	if (!session)
		return 1;
	l2tp_recv_common(session, skb);
	l2tp_session_dec_refcount(session);
	return 0;
}
