/* SPDX-License-Identifier: MIT */
/*
 * Project: tvheadend/tvheadend
 * Path: src/parsers/parsers.c
 * Fix commit: e73dd22b73705a10798a340e831d5b28aeedd99e
 * Bug: parse_h264_deliver() owns a reference on the parsed packet and
 * passes it on to parser_deliver() or parser_backlog(), but when the
 * packet is not deliverable and the backlog is disabled it just returns,
 * leaking the packet.
 */
#include <stdint.h>
#include <stdlib.h>
#include <kref.h>

#define PTS_UNSET	INT64_MIN
#define PTS_BACKLOG	((int64_t)1 << 62)

typedef struct pktbuf pktbuf_t;

typedef struct th_pkt {
	struct kref pkt_refcount;
	int pkt_frametype;
	pktbuf_t *pkt_meta;
} th_pkt_t;

typedef struct th_pktref th_pktref_t;

typedef struct elementary_stream {
	th_pktref_t *es_backlog;	/* queue head, NULL when empty */
	int64_t es_curdts;
	int64_t es_curpts;
	int es_frame_duration;
} elementary_stream_t;

typedef struct service service_t;

struct parser_config {
	int parser_backlog;
};
extern struct parser_config config;

/* frees the payload buffers and the packet */
extern void pkt_destroy(th_pkt_t *pkt);
/* hands pkt to the service's streaming pad; consumes the caller's reference */
extern void parser_deliver(service_t *t, elementary_stream_t *st,
			   th_pkt_t *pkt);
/* queues pkt on st->es_backlog; consumes the caller's reference */
extern void parser_backlog(service_t *t, elementary_stream_t *st,
			   th_pkt_t *pkt);
/* fixes timestamps of the queued packets and delivers them */
extern void parser_do_backlog(service_t *t, elementary_stream_t *st,
			      void (*pkt_cb)(service_t *t,
					     elementary_stream_t *st,
					     th_pkt_t *pkt),
			      pktbuf_t *meta);
/* guesses the frame type of a queued packet (borrows pkt) */
extern void parse_h264_backlog(service_t *t, elementary_stream_t *st,
			       th_pkt_t *pkt);

static void pkt_release(struct kref *kref)
{
	pkt_destroy(container_of(kref, th_pkt_t, pkt_refcount));
}

void pkt_ref_dec(th_pkt_t *pkt)
{
	kref_put(&pkt->pkt_refcount, pkt_release);
}

/* consumes the caller's reference on pkt */
void parse_h264_deliver(service_t *t, elementary_stream_t *st, th_pkt_t *pkt)
{
	if (pkt->pkt_frametype > 0) {
		if (st->es_backlog == NULL) {
deliver:
			parser_deliver(t, st, pkt);
			return;
		} else if ((st->es_curdts != PTS_UNSET &&
			    (st->es_curdts & PTS_BACKLOG) == 0) &&
			   (st->es_curpts != PTS_UNSET &&
			    (st->es_curpts & PTS_BACKLOG) == 0) &&
			   st->es_frame_duration > 1) {
			parser_do_backlog(t, st, parse_h264_backlog,
					  pkt->pkt_meta);
			goto deliver;
		}
	}
	if (config.parser_backlog)
		parser_backlog(t, st, pkt);
	else
		pkt_ref_dec(pkt);
}
