/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: thom311/libnl commit
 * 0ba7e663ce3f6bd624c0b8f4dc27a33cfcb0f5d1 "veth: grab a reference for
 * rtnl_link_veth_get_peer()", lib/route/link/veth.c.  A veth link owns its
 * peer link object (veth_alloc() creates it, veth_free() puts it when the
 * link is freed).  rtnl_link_veth_get_peer() returned link->l_info with no
 * reference, so a user keeping the peer (here an application's record of
 * the pair, "so that users could keep a refcount for the peer") holds a
 * pointer that dies with the link's last rtnl_link_put().  The fix gets a
 * reference in rtnl_link_veth_get_peer() (advertised by the capability
 * NL_CAPABILITY_ROUTE_LINK_VETH_GET_PEER_OWN_REFERENCE), which the caller
 * puts; libnl's own users read link->l_info directly.  nl_object's
 * ce_refcnt is written with a kref.
 */
#include <stdlib.h>
#include <kref.h>

struct rtnl_link {
	struct kref ce_refcnt;
	void *l_info;		/* veth: the peer link */
	int is_veth;
};

/* rtnl_link_alloc() and rtnl_link_set_type(link, "veth"), which calls veth_alloc(); NULL on failure. */
extern struct rtnl_link *rtnl_link_veth_alloc(void);
/* rtnl_link_get_name() */
extern const char *rtnl_link_get_name(struct rtnl_link *link);

void rtnl_link_put(struct rtnl_link *link);

static void veth_free(struct rtnl_link *link)
{
	struct rtnl_link *peer = link->l_info;

	if (peer) {
		link->l_info = NULL;
		/* avoid calling this recursively */
		peer->l_info = NULL;
		rtnl_link_put(peer);
	}
}

static void link_free_data(struct kref *ref)
{
	struct rtnl_link *link = container_of(ref, struct rtnl_link, ce_refcnt);

	if (link->is_veth)
		veth_free(link);
	free(link);
}

void rtnl_link_put(struct rtnl_link *link)
{
	kref_put(&link->ce_refcnt, link_free_data);
}

struct rtnl_link *rtnl_link_veth_get_peer(struct rtnl_link *link)
{
	if (!link->is_veth)
		return NULL;	/* APPBUG: "Link is not a veth link" */
	return link->l_info; /* expect: rule 1 */
}

/* An application's record of the pair it created. */
struct veth_pair { struct rtnl_link *peer; };

int veth_pair_create(struct veth_pair *pair)
{
	struct rtnl_link *link, *peer;

	if (!(link = rtnl_link_veth_alloc()))
		return -1;
	peer = rtnl_link_veth_get_peer(link);
	pair->peer = peer;
	rtnl_link_put(link);
	return 0;
}

const char *veth_pair_peer_name(struct veth_pair *pair)
{
	return rtnl_link_get_name(pair->peer);
}

void veth_pair_destroy(struct veth_pair *pair)
{
	pair->peer = NULL;
}
