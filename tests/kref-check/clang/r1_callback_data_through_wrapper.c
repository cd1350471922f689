/* SPDX-License-Identifier: MIT */
/* Rule 1: the object goes as a callback's data through the program's own
 * wrapper of an asynchronous call, with no reference for the callback. */
#include <stdlib.h>
#include <kref.h>

struct mount { struct kref ref; char *path; };

typedef void (*done_fn)(int status, void *data);

/* starts the request; done(status, data) runs later, from the main loop */
extern void tracker_request_unregister(const char *path, done_fn done, void *data);

static void mount_release(struct kref *ref)
{
	free(container_of(ref, struct mount, ref));
}

static void unregister_done(int status, void *data)
{
	struct mount *m = data;

	if (status)
		m->path = NULL;
}

static void mount_unregister(struct mount *m, done_fn done, void *data)
{
	tracker_request_unregister(m->path, done, data);
}

void mount_force_unmount(struct mount *m)
{
	mount_unregister(m, unregister_done, m);	/* expect: rule 1 */
}

void on_removed(struct mount *m)
{
	mount_force_unmount(m);
	kref_put(&m->ref, mount_release);
}
