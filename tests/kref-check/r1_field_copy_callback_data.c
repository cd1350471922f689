/* SPDX-License-Identifier: MIT */
/* Rule 1, user space: a mixer's event callback gets the mixer as its void *
 * data, keeps it in a deferred event whose free function puts it, and
 * queues the event on the main loop with no reference taken for the copy:
 * the free puts a reference the callback's registrant still counts as its
 * own. */
#include <stdlib.h>
#include <kref.h>

struct mixer { struct kref ref; int level; };
struct mix_event { struct mixer *mixer; int level; };

typedef int (*loop_fn)(void *data);
unsigned int loop_defer_add(loop_fn fn, void *data);

static void mixer_release(struct kref *ref)
{
	free(container_of(ref, struct mixer, ref));
}

static void mix_event_free(struct mix_event *ev)
{
	kref_put(&ev->mixer->ref, mixer_release);
	free(ev);
}

static int mix_event_run(void *data)
{
	struct mix_event *ev = data;

	ev->mixer->level = ev->level;
	mix_event_free(ev);
	return 0;
}

int mixer_level_cb(int level, void *user_data)
{
	struct mixer *mixer = user_data;
	struct mix_event *ev;

	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return -1;
	ev->mixer = mixer;
	ev->level = level;
	loop_defer_add(mix_event_run, ev);	/* expect: rule 1 */
	return 0;
}
