/* SPDX-License-Identifier: MIT */
/* Two structs have an 'owner' field: a badge's owns a reference on its
 * team (badge_free() puts it), a note's only borrows its user, whose
 * lifetime the caller guarantees until the note's work is flushed.
 * Storing the user in a note with no reference is not the badge's
 * convention. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct team { struct kref kref; int size; };
struct user { struct kref kref; int id; };
struct badge { struct team *owner; int level; };
struct note { struct work_struct work; struct user *owner; int text; };

static void team_release(struct kref *kref)
{
	kfree(container_of(kref, struct team, kref));
}

void badge_free(struct badge *b)
{
	kref_put(&b->owner->kref, team_release);
	kfree(b);
}

static void note_fn(struct work_struct *work)
{
	struct note *n = container_of(work, struct note, work);

	n->owner->id++;
	kfree(n);
}

int note_post(struct user *u, int text)
{
	struct note *n = kzalloc(sizeof(*n), GFP_KERNEL);

	if (!n)
		return -ENOMEM;
	n->owner = u;
	n->text = text;
	INIT_WORK(&n->work, note_fn);
	schedule_work(&n->work);
	return 0;
}
