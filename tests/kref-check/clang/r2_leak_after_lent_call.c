/* SPDX-License-Identifier: MIT */
/* Rule 2: the object is lent to a declared function that works on it
 * (it keeps nothing), then an error path returns without the put. */
#include <stdlib.h>
#include <kref.h>

struct frame { struct kref ref; unsigned char data[64]; };

/* Returns a new frame (one reference), or NULL. */
extern struct frame *frame_new(void);
extern int frame_set_header(struct frame *f, int type);
/* Sends the frame; consumes the caller's reference. */
extern int frame_send(struct frame *f);

static void frame_release(struct kref *ref)
{
	free(container_of(ref, struct frame, ref));
}

int send_ping(void)
{
	struct frame *f = frame_new();

	if (!f)
		return -1;
	if (frame_set_header(f, 1) < 0)
		return -2;	/* expect: rule 2 */
	return frame_send(f);
}

int send_pong(void)
{
	struct frame *f = frame_new();

	if (!f)
		return -1;
	if (frame_set_header(f, 2) < 0) {
		kref_put(&f->ref, frame_release);
		return -2;
	}
	return frame_send(f);
}
