/* SPDX-License-Identifier: MIT */
/* Rule 2: a cursor holds a reference on the track it plays and only
 * borrows the one it shows as next.  Its destructor puts the borrowed one:
 * a reference the cursor never took (and the played track's leaks). */
#include <stdlib.h>
#include <kref.h>

struct track { struct kref ref; int id; };
struct cursor {
	struct track *playing;	/* referenced */
	struct track *next_up;	/* borrowed from the queue */
};

static void track_release(struct kref *ref)
{
	free(container_of(ref, struct track, ref));
}

static void track_put(struct track *t)
{
	if (t)
		kref_put(&t->ref, track_release);
}

struct cursor *cursor_new(struct track *playing, struct track *next_up)
{
	struct cursor *c = malloc(sizeof(*c));

	if (!c)
		return NULL;
	kref_get(&playing->ref);
	c->playing = playing;
	c->next_up = next_up;
	return c;
}

void cursor_destroy(struct cursor *c)
{
	track_put(c->next_up);	/* expect: rule 2 */
	free(c);
}
