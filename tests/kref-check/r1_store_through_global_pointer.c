/* SPDX-License-Identifier: MIT */
/* Rule 1: a store into the shared state that a global points to publishes
 * the frame before its reference is taken. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct frame { struct kref ref; int seq; };
struct pipeline_state { struct frame *current; int running; };
static struct pipeline_state *state;

static void frame_release(struct kref *ref) { free(container_of(ref, struct frame, ref)); }

/* Called by the capture thread while the encoder threads run. */
void publish_frame(struct frame *f)
{
	struct frame *old = state->current;

	state->current = f;
	kref_get(&f->ref);	/* expect: rule 1 */
	if (old)
		kref_put(&old->ref, frame_release);
}
