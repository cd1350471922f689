/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: solettaproject/soletta commit
 * e8ba03a4f40150ac7279d12711fbc59e050ccdff "coap: fix leaks on error cases"
 * (PR #1891, Coverity CID 144066),
 * src/lib/comms/sol-coap.c, well_known_get().  The handler of
 * /.well-known/core builds a response packet (a new reference from
 * sol_coap_packet_new()) and, when setting its header code or reading its
 * header length fails, returns -EINVAL without sol_coap_packet_unref():
 * the packet leaks.  The packet's refcnt written with struct kref.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdint.h>
#include <kref.h>

struct sol_coap_packet { struct kref refcnt; uint8_t buf[256]; };
struct sol_coap_server;
struct sol_network_link_addr;

/* Returns a new packet (one reference) answering req, or NULL. */
extern struct sol_coap_packet *sol_coap_packet_new(struct sol_coap_packet *req);
extern int sol_coap_header_set_code(struct sol_coap_packet *pkt, uint8_t code);
/* Returns the header length, or a negative errno. */
extern int coap_get_header_len(struct sol_coap_packet *pkt);
/* Appends the resource links; returns 0 or a negative errno. */
extern int well_known_append_links(struct sol_coap_server *server, struct sol_coap_packet *pkt, int offset);
/* Sends pkt; takes over the caller's reference. */
extern int sol_coap_send_packet(struct sol_coap_server *server, struct sol_coap_packet *pkt, const struct sol_network_link_addr *cliaddr);

#define SOL_COAP_RSPCODE_CONTENT 69

static void sol_coap_packet_free(struct kref *ref)
{
	free(container_of(ref, struct sol_coap_packet, refcnt));
}

static void sol_coap_packet_unref(struct sol_coap_packet *pkt)
{
	kref_put(&pkt->refcnt, sol_coap_packet_free);
}

int well_known_get(struct sol_coap_server *server, struct sol_coap_packet *req,
		   const struct sol_network_link_addr *cliaddr)
{
	struct sol_coap_packet *resp;
	int r;

	resp = sol_coap_packet_new(req);
	if (!resp)
		return -ENOMEM;

	r = sol_coap_header_set_code(resp, SOL_COAP_RSPCODE_CONTENT);
	if (r < 0) {
		return -EINVAL; /* expect: rule 2 */
	}

	r = coap_get_header_len(resp);
	if (r < 0) {
		return -EINVAL; /* expect: rule 2 */
	}

	r = well_known_append_links(server, resp, r);
	if (r < 0) {
		sol_coap_packet_unref(resp);
		return r;
	}

	return sol_coap_send_packet(server, resp, cliaddr);
}
