/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * 61b9a047729bb230978178bca6729689d0c50ca2 "l2tp: fix race in
 * l2tp_recv_common()", net/l2tp/l2tp_core.c.  l2tp_session_find() looked
 * the session up under the tunnel's hlist_lock and returned it with no
 * reference; the reference was taken later, at the top of
 * l2tp_recv_common(), after the lock was gone and the session could have
 * been deleted and freed.
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

struct l2tp_session *l2tp_session_find(struct l2tp_tunnel *tunnel, unsigned int id)
{
	struct l2tp_session *session;

	spin_lock_bh(&tunnel->hlist_lock);
	list_for_each_entry(session, &tunnel->sessions, hlist) {
		if (session->session_id == id) {
			spin_unlock_bh(&tunnel->hlist_lock);
			return session;
		}
	}
	spin_unlock_bh(&tunnel->hlist_lock);
	return NULL;
}

static void l2tp_recv_common(struct l2tp_session *session, struct sk_buff *skb)
{
	kref_get(&session->ref);	/* expect: rule 3 */
	session->rx_packets++;
	l2tp_session_dec_refcount(session);
}

int l2tp_udp_recv_core(struct l2tp_tunnel *tunnel, unsigned int id, struct sk_buff *skb)
{
	struct l2tp_session *session = l2tp_session_find(tunnel, id);

	if (!session)
		return 1;
	l2tp_recv_common(session, skb);
	return 0;
}
