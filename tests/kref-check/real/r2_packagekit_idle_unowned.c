/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: PackageKit/PackageKit commit
 * e1d11bb0c4f54aa0b2a19f475d8434c04b1ac8e4 "pk-task:
 * pk_task_user_accepted/declined_idle_cb actually take an unowned gtask",
 * lib/packagekit-glib2/pk-task.c.  The idle source owns the reference it
 * was given (released by its destroy notify), but the callback treated the
 * pointer as its own: it dropped it, or handed it on as if it could give
 * it away, so the task was put once more than it was got.  GObject
 * refcounting, written here with struct kref.
 */
#include <stdlib.h>
#include <kref.h>

struct gtask { struct kref ref; int request; };

void idle_add_full(int (*fn)(void *), void *data, void (*destroy)(void *));
void pk_task_do_async_action(struct gtask *gtask);	/* takes a reference */

static void gtask_free(struct kref *ref)
{
	free(container_of(ref, struct gtask, ref));
}

static void gtask_unref(void *data)
{
	struct gtask *gtask = data;

	kref_put(&gtask->ref, gtask_free);
}

static int user_accepted_idle_cb(void *user_data)
{
	struct gtask *gtask = user_data;	/* owned by the idle source */

	if (gtask->request < 0) {
		gtask_unref(gtask);	/* expect: rule 2 */
		return 0;
	}
	pk_task_do_async_action(gtask);
	return 0;
}

void pk_task_user_accepted(struct gtask *gtask)
{
	kref_get(&gtask->ref);
	idle_add_full(user_accepted_idle_cb, gtask, gtask_unref);
}
