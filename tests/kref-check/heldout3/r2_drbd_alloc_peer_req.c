/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: LINBIT/drbd commit
 * 14f4962ca1ef3cbc613a1397b3fb7efa687e09a6 "drbd: fix device kref leak
 * when peer request bio allocation fails", drbd/drbd_receiver.c,
 * drbd_alloc_peer_req() (and drbd_free_peer_req(), whose order the fix
 * mirrors).  A peer request holds a device kref that keeps
 * peer_req->peer_device alive; when the bio allocation after it fails
 * (resync requests allocate without direct reclaim, so this happens under
 * memory pressure), the error path returns the request to the mempool
 * without dropping that kref: one leaked device reference per failure,
 * and drbd_destroy_device() never runs after detach and down.
 */
#include <linux/gfp.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <string.h>
#include "kernel_shim.h"

typedef unsigned int blk_opf_t;
#define __GFP_HIGHMEM	0x02u
#define REQ_NO_BIO	(1u << 31)

struct mempool_s;
extern struct mempool_s drbd_ee_mempool;
void *mempool_alloc(struct mempool_s *pool, gfp_t gfp_mask);
void mempool_free(void *element, struct mempool_s *pool);

struct drbd_device { struct kref kref; };
struct drbd_peer_device { struct drbd_device *device; };
struct drbd_peer_request {
	struct list_head recv_order;
	struct drbd_peer_device *peer_device;
	unsigned long block_id;
	void *bios;
};

/* Frees the device's resources; the last kref of a drbd_device. */
void drbd_destroy_device(struct kref *kref);
/* Allocates the bio(s) for size bytes; 0 or -ENOMEM. */
int peer_req_alloc_bio(struct drbd_peer_request *peer_req, size_t size, gfp_t gfp_mask, blk_opf_t opf);
void drbd_peer_req_strip_bio(struct drbd_peer_request *peer_req);

struct drbd_peer_request *drbd_alloc_peer_req(struct drbd_peer_device *peer_device, gfp_t gfp_mask,
					      size_t size, blk_opf_t opf)
{
	struct drbd_device *device = peer_device->device;
	struct drbd_peer_request *peer_req;
	int err;

	gfp_mask &= ~__GFP_HIGHMEM;
	peer_req = mempool_alloc(&drbd_ee_mempool, gfp_mask);
	if (!peer_req)
		return NULL;
	memset(peer_req, 0, sizeof(*peer_req));

	INIT_LIST_HEAD(&peer_req->recv_order);
	kref_get(&device->kref); /* this kref holds the peer_req->peer_device object alive */
	peer_req->peer_device = peer_device;
	peer_req->block_id = (unsigned long) peer_req;

	if (opf == REQ_NO_BIO)
		return peer_req;

	err = peer_req_alloc_bio(peer_req, size, gfp_mask, opf);
	if (err)
		goto out_free_peer_req;

	return peer_req;

out_free_peer_req:
	mempool_free(peer_req, &drbd_ee_mempool);	/* expect: rule 2 */
	return NULL;
}

void drbd_free_peer_req(struct drbd_peer_request *peer_req)
{
	struct drbd_peer_device *peer_device = peer_req->peer_device;

	drbd_peer_req_strip_bio(peer_req);
	kref_put(&peer_device->device->kref, drbd_destroy_device);
	mempool_free(peer_req, &drbd_ee_mempool);
}
