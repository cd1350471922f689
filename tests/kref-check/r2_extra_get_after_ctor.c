/* SPDX-License-Identifier: MIT */
/* Rule 2: the allocator already returns a packet with two references, one
 * for the ring and one for the send; the caller takes a third, which
 * nothing ever puts. */
#include <stdlib.h>
#include <kref.h>

struct packet { struct kref ref; int len; unsigned char data[64]; };
struct ring;

int ring_push(struct ring *r, struct packet *pkt);	/* keeps a reference */
void packet_send(struct packet *pkt);			/* puts one when sent */

static void packet_release(struct kref *ref)
{
	free(container_of(ref, struct packet, ref));
}

void packet_put(struct packet *pkt)
{
	kref_put(&pkt->ref, packet_release);
}

static struct packet *packet_alloc_pair(int len)
{
	struct packet *pkt = calloc(1, sizeof(*pkt));

	if (pkt) {
		kref_init(&pkt->ref);
		kref_get(&pkt->ref);	/* one for the ring, one to send */
		pkt->len = len;
	}
	return pkt;
}

int packet_queue_and_send(struct ring *r, int len)
{
	struct packet *pkt = packet_alloc_pair(len);

	if (!pkt)
		return -1;
	kref_get(&pkt->ref);	/* expect: rule 2 */
	ring_push(r, pkt);
	packet_send(pkt);
	return 0;
}
