/* SPDX-License-Identifier: MIT */
/*
 * Project: tvheadend/tvheadend
 * Path: src/plumbing/transcoding.c
 * Fix commit: 4d6110475206824be30f8a6b2a2fcfa43b57027b
 * Bug: after handing the empty "we are live" packet pkt2 to the target,
 * transcoder_stream_video() drops a reference on the input packet pkt
 * instead of on pkt2, so pkt2 leaks and pkt is used after that put and
 * put a second time at the end of the function.
 */
#include <stdint.h>
#include <stdlib.h>
#include <kref.h>

typedef struct pktbuf pktbuf_t;

typedef struct th_pkt {
	struct kref pkt_refcount;
	int64_t pkt_pts;
	int64_t pkt_dts;
	int pkt_componentindex;
	pktbuf_t *pkt_payload;
} th_pkt_t;

typedef struct streaming_message {
	int sm_type;
	void *sm_data;	/* SMT_PACKET: owns one packet reference */
} streaming_message_t;

#define SMT_PACKET	1

typedef struct streaming_target streaming_target_t;

typedef struct transcoder transcoder_t;

typedef struct transcoder_stream {
	streaming_target_t *ts_target;
} transcoder_stream_t;

typedef struct video_stream {
	transcoder_stream_t vid;
	int vid_first_sent;
	void *vid_ictx;
	void *vid_octx;
} video_stream_t;

/* frees the payload buffers and the packet */
extern void pkt_destroy(th_pkt_t *pkt);
/* allocates an empty streaming message of the given type */
extern streaming_message_t *streaming_msg_create(int type);
/* passes sm (and the references it owns) to the target */
extern void streaming_target_deliver2(streaming_target_t *st,
				      streaming_message_t *sm);
/* pointer to / length of a packet buffer (borrowed) */
extern uint8_t *pktbuf_ptr(pktbuf_t *pb);
extern size_t pktbuf_len(pktbuf_t *pb);
/* decodes, deinterlaces and re-encodes one frame; <0 on error */
extern int transcoder_video_decode(transcoder_t *t, video_stream_t *vs,
				   const uint8_t *data, size_t size,
				   int64_t pts, int64_t dts);
/* sends the encoded frame as a new packet, reading pkt's metadata */
extern void send_video_packet(transcoder_t *t, transcoder_stream_t *ts,
			      th_pkt_t *pkt);
extern void transcoder_stream_invalidate(transcoder_stream_t *ts);

static void pkt_release(struct kref *kref)
{
	pkt_destroy(container_of(kref, th_pkt_t, pkt_refcount));
}

th_pkt_t *pkt_alloc(int64_t pts, int64_t dts)
{
	th_pkt_t *pkt = calloc(1, sizeof(*pkt));

	if (pkt == NULL)
		return NULL;
	pkt->pkt_dts = dts;
	pkt->pkt_pts = pts;
	kref_init(&pkt->pkt_refcount);
	return pkt;
}

void pkt_ref_dec(th_pkt_t *pkt)
{
	kref_put(&pkt->pkt_refcount, pkt_release);
}

void pkt_ref_inc(th_pkt_t *pkt)
{
	kref_get(&pkt->pkt_refcount);
}

streaming_message_t *streaming_msg_create_pkt(th_pkt_t *pkt)
{
	streaming_message_t *sm = streaming_msg_create(SMT_PACKET);

	sm->sm_data = pkt;
	pkt_ref_inc(pkt);
	return sm;
}

/* consumes the caller's reference on pkt */
void transcoder_stream_video(transcoder_t *t, transcoder_stream_t *ts,
			     th_pkt_t *pkt)
{
	video_stream_t *vs = (video_stream_t *)ts;
	streaming_message_t *sm;
	th_pkt_t *pkt2;
	int ret;

	if (!vs->vid_first_sent) {
		/* notify global headers that we're live */
		/* the video packets might be delayed */
		pkt2 = pkt_alloc(pkt->pkt_pts, pkt->pkt_dts);
		if (pkt2 == NULL)
			goto cleanup;
		pkt2->pkt_componentindex = pkt->pkt_componentindex;
		sm = streaming_msg_create_pkt(pkt2);
		streaming_target_deliver2(ts->ts_target, sm);
		pkt_ref_dec(pkt); /* expect: rule 2 */
		vs->vid_first_sent = 1;
	}

	ret = transcoder_video_decode(t, vs, pktbuf_ptr(pkt->pkt_payload),
				      pktbuf_len(pkt->pkt_payload),
				      pkt->pkt_pts, pkt->pkt_dts);
	if (ret < 0) {
		transcoder_stream_invalidate(ts);
		goto cleanup;
	}

	if (ret > 0)
		send_video_packet(t, ts, pkt);

cleanup:
	pkt_ref_dec(pkt);
}
