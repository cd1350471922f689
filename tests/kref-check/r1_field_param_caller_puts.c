/* SPDX-License-Identifier: MIT */
/* Rule 1, a long-lived field filled with a parameter: the counted mount
 * keeps the volume it was given, but takes no reference for it, and the
 * caller drops its own right after the call; the mount outlives both. */
#include <stdlib.h>
#include <kref.h>

struct volume { struct kref ref; const char *label; };
struct mount { struct kref ref; struct volume *vol; unsigned flags; };

struct volume *volume_open(const char *label);

static void volume_release(struct kref *ref)
{
	free(container_of(ref, struct volume, ref));
}

static void volume_close(struct volume *v)
{
	kref_put(&v->ref, volume_release);
}

static void mount_release(struct kref *ref)
{
	free(container_of(ref, struct mount, ref));
}

struct mount *mount_new(struct volume *vol, unsigned flags)
{
	struct mount *m = malloc(sizeof(*m));

	if (!m)
		return NULL;
	kref_init(&m->ref);
	m->flags = flags;
	m->vol = vol;	/* expect: rule 1 */
	return m;
}

struct mount *mount_by_label(const char *label)
{
	struct volume *v = volume_open(label);
	struct mount *m;

	if (!v)
		return NULL;
	m = mount_new(v, 0);
	volume_close(v);
	return m;
}

void mount_drop(struct mount *m)
{
	kref_put(&m->ref, mount_release);
}
