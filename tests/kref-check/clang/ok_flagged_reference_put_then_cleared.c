/* SPDX-License-Identifier: MIT */
/* An encoder takes a use of its pipe while input is buffered and records
 * it in a flag; when the buffer drains, the use is dropped only if the
 * flag says one was taken, and the flag is cleared.  The pipe comes from
 * the pump's opaque pointer, and the put drops the flag's reference, not
 * one of this function's. */
#include <stdbool.h>
#include <kref.h>

struct pipe {
	struct kref ref;
};

struct encoder {
	bool release_needed;
	struct pipe pipe;
};

struct pump;

/* Recovers the pipe the pump was made for from its opaque pointer. */
extern struct pipe *pump_get_pipe(struct pump *pump);
/* True when no input is buffered. */
extern bool encoder_drained(struct pipe *pipe);
/* Frees the encoder once its last use is gone. */
extern void encoder_free(struct kref *ref);

void pipe_release(struct pipe *pipe)
{
	kref_put(&pipe->ref, encoder_free);
}

void encoder_pump_cb(struct pump *pump)
{
	struct pipe *pipe = pump_get_pipe(pump);
	struct encoder *enc = container_of(pipe, struct encoder, pipe);

	if (encoder_drained(pipe) && enc->release_needed) {
		pipe_release(pipe);
		enc->release_needed = false;
	}
}
