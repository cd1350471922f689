/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r2_netmap_port_info_get.c (own code): FreeBSD commit
 * c7e6cb9e08d6b51e677a9f5546b8e36d678687d0, sys/dev/netmap/netmap.c.  A
 * flag records that the allocator came from netmap_mem_find(), and that
 * reference is put once the lock is dropped.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

#define NETMAP_REQ_PORT_INFO_GET	3
#define NETMAP_REQ_IFNAMSIZ		64
struct netmap_mem_d { struct kref refcount; unsigned short nm_id; };
struct netmap_adapter { struct netmap_mem_d *nm_mem; };
struct ifnet;
struct nmreq_header { char nr_name[NETMAP_REQ_IFNAMSIZ]; unsigned short nr_reqtype; void *nr_body; };
struct nmreq_port_info_get { unsigned long long nr_memsize; unsigned short nr_mem_id; };

/* Returns the allocator with a reference, or NULL. */
struct netmap_mem_d *netmap_mem_find(unsigned short id);
int netmap_get_na(struct nmreq_header *hdr, struct netmap_adapter **na, struct ifnet **ifp);
void netmap_unget_na(struct netmap_adapter *na, struct ifnet *ifp);
int netmap_mem_get_info(struct netmap_mem_d *nmd, unsigned long long *size,
			unsigned int *memflags, unsigned short *id);
void NMG_LOCK(void);

static void netmap_mem_delete(struct kref *kref)
{
	kfree(container_of(kref, struct netmap_mem_d, refcount));
}

static void netmap_mem_put(struct netmap_mem_d *nmd)
{
	kref_put(&nmd->refcount, netmap_mem_delete);
}

void NMG_UNLOCK(void);

int netmap_ioctl_port_info_get(struct nmreq_header *hdr)
{
	struct nmreq_port_info_get *req = hdr->nr_body;
	struct netmap_mem_d *nmd = NULL;
	struct netmap_adapter *na = NULL;
	struct ifnet *ifp = NULL;
	unsigned int memflags;
	int nmd_ref = 0;
	int error = 0;

	NMG_LOCK();
	do {
		if (hdr->nr_name[0] != '\0') {
			error = netmap_get_na(hdr, &na, &ifp);
			if (error)
				break;
			nmd = na->nm_mem;	/* borrowed from the adapter */
		} else {
			nmd = netmap_mem_find(req->nr_mem_id ? req->nr_mem_id : 1);
			if (nmd == NULL) {
				error = EINVAL;
				break;
			}
			nmd_ref = 1;
		}
		error = netmap_mem_get_info(nmd, &req->nr_memsize, &memflags, &req->nr_mem_id);
		if (error)
			break;
		if (na == NULL)	/* only memory info */
			break;
	} while (0);
	netmap_unget_na(na, ifp);
	NMG_UNLOCK();
	if (nmd_ref)
		netmap_mem_put(nmd);
	return error;
}
