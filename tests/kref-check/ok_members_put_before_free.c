/* SPDX-License-Identifier: MIT */
/* Rule 2 kept: plain C with pthreads.  A helper drops the references a
 * player holds in its members without clearing them, but it is only called
 * right before the player itself is freed, so nothing reads those members
 * again; the stop path, which keeps the player, clears its member. */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

struct track { struct kref ref; int id; };

struct player {
	pthread_mutex_t lock;
	struct track *current;
	int playing;
};

static void track_free(struct kref *ref)
{
	free(container_of(ref, struct track, ref));
}

static void track_put(struct track *t)
{
	kref_put(&t->ref, track_free);
}

void player_stop(struct player *pl)
{
	pthread_mutex_lock(&pl->lock);
	if (pl->current) {
		track_put(pl->current);
		pl->current = NULL;
	}
	pl->playing = 0;
	pthread_mutex_unlock(&pl->lock);
}

static void player_drop_members(struct player *pl)
{
	track_put(pl->current);
	pl->playing = 0;
}

void player_destroy(struct player *pl)
{
	player_drop_members(pl);
	pthread_mutex_destroy(&pl->lock);
	free(pl);
}
