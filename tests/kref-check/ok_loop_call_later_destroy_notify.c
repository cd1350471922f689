/* SPDX-License-Identifier: MIT */
/* Correct, a small event library with its own names: the frame timer is
 * given a reference on the track, which its destroy notify drops when the
 * timer is removed; the callback borrows it meanwhile. */
#include <stdlib.h>
#include <kref.h>

typedef struct ev_loop ev_loop;
typedef void (*ev_cb)(ev_loop *loop, void *user);
typedef void (*ev_destroy)(void *user);
/* Runs cb(loop, user) after ms milliseconds; destroy(user) when removed. */
unsigned ev_call_later_full(ev_loop *loop, unsigned ms, ev_cb cb, void *user, ev_destroy destroy);
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

void track_unref(void *t)
{
	kref_put(&((track *) t)->refs, track_destroy);
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
	kref_get(&t->refs);
	ev_call_later_full(loop, 5, next_frame, (void *) t, track_unref);
}

/* Iterating at once over the tracks with a callback borrows them. */
void playlist_foreach(track **ts, int n, void (*fn)(track *t, void *user), void *user);

static void reset_track(track *t, void *user)
{
	t->pos = 0;
	(void) user;
}

void player_reset_all(track **ts, int n, track *current)
{
	playlist_foreach(ts, n, reset_track, current);
}
