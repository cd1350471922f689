/* SPDX-License-Identifier: MIT */
/* Rule 1: the thread is started by a wrapper function, and the reference
 * taken afterwards through an alias. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct player { struct kref kref; int score; };
static void player_release(struct kref *kref) { free(container_of(kref, struct player, kref)); }
static void *play(void *p) { struct player *pl = p; pl->score++; kref_put(&pl->kref, player_release); return NULL; }

static int launch(struct player *pl)
{
	pthread_t t;
	if (pthread_create(&t, NULL, play, pl))
		return -1;
	return pthread_detach(t);
}

int start_game(struct player *pl)
{
	struct player *self = pl;

	if (launch(pl) < 0)
		return -1;
	kref_get(&self->kref);	/* expect: rule 1 */
	return 0;
}
