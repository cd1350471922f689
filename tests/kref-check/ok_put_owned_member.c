/* SPDX-License-Identifier: MIT */
/* Rule 2: a cursor holds a reference on the track it plays and only
 * borrows the one it shows as next; its destructor puts the one it holds.
 * A second cursor takes references on both, and puts both. */
#include <stdlib.h>
#include <kref.h>

struct track { struct kref ref; int id; };
struct cursor {
	struct track *playing;	/* referenced */
	struct track *next_up;	/* borrowed from the queue */
};
struct pair {
	struct track *left;
	struct track *right;
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
	track_put(c->playing);
	free(c);
}

struct pair *pair_new(struct track *left, struct track *right)
{
	struct pair *p = malloc(sizeof(*p));

	if (!p)
		return NULL;
	kref_get(&left->ref);
	kref_get(&right->ref);
	p->left = left;
	p->right = right;
	return p;
}

void pair_destroy(struct pair *p)
{
	track_put(p->left);
	track_put(p->right);
	free(p);
}
