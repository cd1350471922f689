/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: LINBIT/drbd commit
 * 87f7162f8ac1f9c15656f820b6380bfe4bb1e852 "rdma: Get a reference to a path
 * returned from drbd_find_path_by_addr()", drbd/drbd_transport_rdma.c
 * dtr_cma_accept(), with drbd_find_path_by_addr() from drbd_transport.c.
 * The accept handler finds the path waiting for the peer's address on
 * listener->waiters under waiters_lock, drops the lock and goes on using
 * the path (its connect state, dtr_alloc_cm(), dtr_path_prepare()) with no
 * reference: drbd_put_listener() can unlink and put it concurrently, and
 * the path is freed under the handler.  The fix takes a kref inside the
 * locked section and puts it on every exit (a new reject label).
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include "kernel_shim.h"

struct sockaddr_storage { unsigned short ss_family; char data[126]; };
struct rdma_cm_id { void *context; struct sockaddr_storage dst_addr; };
#define IB_CM_REJ_CONSUMER_DEFINED 28
enum { PCS_INACTIVE, PCS_REQUEST_ABORT, PCS_FINISHING = PCS_REQUEST_ABORT, PCS_CONNECTING };

struct drbd_listener { struct kref kref; spinlock_t waiters_lock; struct list_head waiters; };
struct drbd_path {
	struct kref kref;
	struct sockaddr_storage peer_addr;
	struct list_head listener_link;	/* on listener->waiters, with a reference */
	struct drbd_listener *listener;
};
struct dtr_connect_state { int passive_state; };
struct dtr_path { struct drbd_path path; struct dtr_connect_state cs; };
struct dtr_cm { struct kref kref; struct rdma_cm_id *id; int state; };
struct dtr_listener { struct drbd_listener listener; };
#define DSM_CONNECT_REQ	1

void drbd_destroy_path(struct kref *kref);	/* puts the connection, frees the path */
/* Unlinks the path from listener->waiters and puts the waiters' reference
 * on it, under waiters_lock; then puts the listener (path removal, down). */
void drbd_put_listener(struct drbd_path *path);
void dtr_destroy_cm(struct kref *kref);
bool addr_equal(const struct sockaddr_storage *a, const struct sockaddr_storage *b);
int rdma_reject(struct rdma_cm_id *id, const void *private_data, unsigned char len, unsigned char reason);
int rdma_accept(struct rdma_cm_id *id, const void *conn_param);
extern const int dtr_conn_param;
/* A new cm for the path, with one reference. */
struct dtr_cm *dtr_alloc_cm(struct dtr_path *path);
/* Stores cm in path->cm (gifting the cm's initial reference); 0 or -errno. */
int dtr_path_prepare(struct dtr_path *path, struct dtr_cm *cm, bool active);

struct drbd_path *drbd_find_path_by_addr(struct drbd_listener *listener, struct sockaddr_storage *addr)
{
	struct drbd_path *path;

	list_for_each_entry(path, &listener->waiters, listener_link) {
		if (addr_equal(&path->peer_addr, addr))
			return path;
	}
	return NULL;
}

int dtr_cma_accept(struct dtr_listener *listener, struct rdma_cm_id *new_cm_id, struct dtr_cm **ret_cm)
{
	struct sockaddr_storage *peer_addr = &new_cm_id->dst_addr;
	struct dtr_connect_state *cs;
	struct drbd_path *drbd_path;
	struct dtr_path *path;
	struct dtr_cm *cm;
	int err;

	*ret_cm = NULL;
	spin_lock(&listener->listener.waiters_lock);
	drbd_path = drbd_find_path_by_addr(&listener->listener, peer_addr);
	if (drbd_path)
		kref_get(&drbd_path->kref);
	spin_unlock(&listener->listener.waiters_lock);

	if (!drbd_path) {
		pr_err("Closing unexpected connection family = %d\n", peer_addr->ss_family);
		rdma_reject(new_cm_id, NULL, 0, IB_CM_REJ_CONSUMER_DEFINED);
		return -EAGAIN;
	}

	path = container_of(drbd_path, struct dtr_path, path);
	cs = &path->cs;
	if (cs->passive_state < PCS_CONNECTING)
		goto reject;

	cm = dtr_alloc_cm(path);
	if (!cm) {
		pr_err("rejecting connecting since -ENOMEM for cm\n");
		goto reject;
	}

	cm->state = DSM_CONNECT_REQ;
	new_cm_id->context = cm;
	cm->id = new_cm_id;
	*ret_cm = cm;

	/* Expecting RDMA_CM_EVENT_ESTABLISHED after rdma_accept() */
	kref_get(&cm->kref);

	/* Gifting the initial kref to the path->cm pointer */
	err = dtr_path_prepare(path, cm, false);
	if (err) {
		/* Returning the cm via ret_cm and an error causes the caller to put one ref */
		goto reject;
	}
	kref_put(&drbd_path->kref, drbd_destroy_path);

	err = rdma_accept(new_cm_id, &dtr_conn_param);
	if (err)
		kref_put(&cm->kref, dtr_destroy_cm);
	return err;

reject:
	rdma_reject(new_cm_id, NULL, 0, IB_CM_REJ_CONSUMER_DEFINED);
	kref_put(&drbd_path->kref, drbd_destroy_path);
	return -EAGAIN;
}
