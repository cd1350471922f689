/* SPDX-License-Identifier: MIT */
/*
 * Project: apache/qpid-dispatch
 * Path: src/router_core/router_core.c
 * Fix: 4746fb351b5f54a12328d9c2f165549aa1131e70
 * Bug: qdr_core_bind_address_link_CT() records the address as a no-route
 * link's owning_addr without a reference (no-route links are not put on the
 * address's link lists, which keep it alive), so the address can be freed
 * while the link still points at it.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

typedef struct qdr_core_t qdr_core_t;
typedef struct qdr_link_list_t qdr_link_list_t;

typedef struct qdr_address_t {
	struct kref ref_count;
	qdr_link_list_t *rlinks;
	qdr_link_list_t *inlinks;
} qdr_address_t;

#define QD_INCOMING	0
#define QD_OUTGOING	1

typedef struct qdr_link_t {
	int link_direction;
	bool no_route;		/* the link receives no routed deliveries */
	bool no_route_bound;	/* owning_addr of a no-route link is counted */
	qdr_address_t *owning_addr;
} qdr_link_t;

typedef struct qdr_link_route_t {
	qdr_address_t *addr;	/* counted */
} qdr_link_route_t;

/* puts the link on an address list; the entry holds a reference on the address */
extern void qdr_add_link_ref(qdr_address_t *addr, qdr_link_list_t **list, qdr_link_t *link);
/* takes the link off an address list and drops the entry's reference */
extern void qdr_del_link_ref(qdr_address_t *addr, qdr_link_list_t **list, qdr_link_t *link);
/* tears down the link's deliveries */
extern void qdr_link_cleanup_deliveries_CT(qdr_core_t *core, qdr_link_t *link);

static void qdr_core_remove_address(struct kref *kref)
{
	qdr_address_t *addr = container_of(kref, qdr_address_t, ref_count);

	free(addr);
}

void qdr_core_bind_address_link_CT(qdr_core_t *core, qdr_address_t *addr, qdr_link_t *link)
{
	(void)core;
	link->owning_addr = addr; /* expect: rule 1 */

	/*
	 * A no-route link gets no functional linkage to the address beyond
	 * owning_addr.
	 */
	if (link->no_route)
		return;

	if (link->link_direction == QD_OUTGOING)
		qdr_add_link_ref(addr, &addr->rlinks, link);
	else
		qdr_add_link_ref(addr, &addr->inlinks, link);
}

void qdr_core_unbind_address_link_CT(qdr_core_t *core, qdr_address_t *addr, qdr_link_t *link)
{
	(void)core;
	link->owning_addr = NULL;

	if (link->no_route)
		return;

	if (link->link_direction == QD_OUTGOING)
		qdr_del_link_ref(addr, &addr->rlinks, link);
	else
		qdr_del_link_ref(addr, &addr->inlinks, link);
}

void qdr_core_delete_link_route(qdr_core_t *core, qdr_link_route_t *lr)
{
	(void)core;
	if (lr->addr)
		kref_put(&lr->addr->ref_count, qdr_core_remove_address);
	free(lr);
}

void qdr_link_inbound_detach_CT(qdr_core_t *core, qdr_link_t *link)
{
	qdr_address_t *addr = link->owning_addr;

	if (addr)
		kref_get(&addr->ref_count);

	if (addr)
		qdr_core_unbind_address_link_CT(core, addr, link);

	link->owning_addr = NULL;

	qdr_link_cleanup_deliveries_CT(core, link);

	if (addr)
		kref_put(&addr->ref_count, qdr_core_remove_address);
}
