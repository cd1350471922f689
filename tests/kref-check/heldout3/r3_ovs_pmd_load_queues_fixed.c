/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: openvswitch/ovs commit
 * a1fdee136b278e575d84aeeac06374a44a530300 "dpif-netdev: Introduce
 * port_try_ref() to prevent a race.", lib/dpif-netdev.c,
 * pmd_load_queues(), port_ref(), port_unref() and do_del_port().  A pmd
 * thread walks dp->ports (a cmap read under OVS's RCU, no lock) and takes
 * a plain port_ref() on each port it will poll; meanwhile the main thread
 * can remove the port and drop its last reference, which postpones the
 * free by one grace period: the pmd thread's reference then lands on a
 * port whose count already reached zero, and it uses the port after the
 * postponed free.  The fix takes the reference with
 * ovs_refcount_try_ref_rcu() (port_try_ref()) and skips the port when it
 * fails.  ovs_refcount written here with struct kref.
 */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct netdev; struct netdev_rxq;
struct cmap_node { struct cmap_node *next; };
struct cmap { struct cmap_node *head; };
/* OVS's cmap: readers iterate without locks, under RCU. */
#define CMAP_FOR_EACH(NODE, MEMBER, CMAP)					\
	for (struct cmap_node *n_ = (CMAP)->head;				\
	     n_ && ((NODE) = container_of(n_, __typeof__(*(NODE)), MEMBER), 1);	\
	     n_ = n_->next)

struct dp_netdev_port {
	struct cmap_node node;		/* in dp->ports */
	struct netdev *netdev;
	struct netdev_rxq **rxq;
	struct kref ref_cnt;
	unsigned int port_no;
};
struct dp_netdev { pthread_mutex_t port_mutex; struct cmap ports; int n_pmd_threads; };
struct pmd_thread { struct dp_netdev *dp; int id; };
struct rxq_poll { struct dp_netdev_port *port; struct netdev_rxq *rx; };

int netdev_is_pmd(const struct netdev *netdev);
int netdev_n_rxq(const struct netdev *netdev);
/* Runs function(arg) after the current RCU grace period. */
void ovsrcu_postpone(void (*function)(void *), void *arg);
/* Closes the netdev and its rx queues, frees the port. */
void port_destroy__(void *port);
void cmap_remove(struct cmap *cmap, struct cmap_node *node);
void dp_netdev_reload_pmd_threads(struct dp_netdev *dp);

static void port_release(struct kref *kref)
{
	ovsrcu_postpone(port_destroy__, container_of(kref, struct dp_netdev_port, ref_cnt));
}

static void port_ref(struct dp_netdev_port *port)
{
	if (port)
		kref_get(&port->ref_cnt);
}

static int port_try_ref(struct dp_netdev_port *port)
{
	return port ? kref_get_unless_zero(&port->ref_cnt) : 0;
}

static void port_unref(struct dp_netdev_port *port)
{
	if (port)
		kref_put(&port->ref_cnt, port_release);
}

/* Main thread, with dp->port_mutex held. */
void do_del_port(struct dp_netdev *dp, struct dp_netdev_port *port)
{
	cmap_remove(&dp->ports, &port->node);
	if (netdev_is_pmd(port->netdev))
		dp_netdev_reload_pmd_threads(dp);
	port_unref(port);
}

int pmd_load_queues(struct pmd_thread *f, struct rxq_poll **ppoll_list, int poll_cnt)
{
	struct dp_netdev *dp = f->dp;
	struct rxq_poll *poll_list = *ppoll_list;
	struct dp_netdev_port *port;
	int id = f->id;
	int index;
	int i;

	/* Simple scheduler for netdev rx polling. */
	for (i = 0; i < poll_cnt; i++)
		port_unref(poll_list[i].port);

	poll_cnt = 0;
	index = 0;

	CMAP_FOR_EACH (port, node, &f->dp->ports) {
		/* Calls port_try_ref() to prevent the main thread
		 * from deleting the port. */
		if (port_try_ref(port)) {
			if (netdev_is_pmd(port->netdev)) {
				for (i = 0; i < netdev_n_rxq(port->netdev); i++) {
					if ((index % dp->n_pmd_threads) == id) {
						poll_list = realloc(poll_list,
								    sizeof *poll_list * (poll_cnt + 1));
						port_ref(port);
						poll_list[poll_cnt].port = port;
						poll_list[poll_cnt].rx = port->rxq[i];
						poll_cnt++;
					}
					index++;
				}
			}
			/* Unrefs the port_try_ref(). */
			port_unref(port);
		}
	}

	*ppoll_list = poll_list;
	return poll_cnt;
}
