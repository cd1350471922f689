/* SPDX-License-Identifier: MIT */
/* Rule 1, a small event library with its own names: a player schedules
 * the next frame with ev_call_later() and passes the track it was handed
 * (the playlist's) as the callback's data with no reference; removing the
 * track from the playlist frees it before the frame timer fires. */
#include <stdlib.h>
#include <kref.h>

typedef struct ev_loop ev_loop;
typedef void (*ev_cb)(ev_loop *loop, void *user);
/* Runs cb(loop, user) after ms milliseconds, from the loop. */
unsigned ev_call_later(ev_loop *loop, unsigned ms, ev_cb cb, void *user);
void audio_write(const short *pcm, int frames);

typedef struct track {
	struct kref refs;
	const short *pcm;
	int frames;
	int pos;
} track;

static void track_destroy(struct kref *k)
{
	free(container_of(k, track, refs));
}

void track_unref(track *t)
{
	kref_put(&t->refs, track_destroy);
}

static void next_frame(ev_loop *loop, void *user)
{
	track *t = (track *) user;

	audio_write(t->pcm + t->pos, 256);
	t->pos += 256;
	(void) loop;
}

void player_play(ev_loop *loop, track *t)
{
	t->pos = 0;
	ev_call_later(loop, 5, next_frame, (void *) t);	/* expect: rule 1 */
}
