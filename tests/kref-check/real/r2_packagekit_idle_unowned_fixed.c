/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r2_packagekit_idle_unowned.c (own code):
 * PackageKit/PackageKit commit e1d11bb0c4f54aa0b2a19f475d8434c04b1ac8e4,
 * lib/packagekit-glib2/pk-task.c.  The callback borrows the source's
 * reference: it never drops it, and takes a new one for what it hands on.
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

	if (gtask->request < 0)
		return 0;
	kref_get(&gtask->ref);
	pk_task_do_async_action(gtask);
	return 0;
}

void pk_task_user_accepted(struct gtask *gtask)
{
	kref_get(&gtask->ref);
	idle_add_full(user_accepted_idle_cb, gtask, gtask_unref);
}
