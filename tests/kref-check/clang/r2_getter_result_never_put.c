/* SPDX-License-Identifier: MIT */
/* Rule 2: codec_get_profile() takes a reference on the profile the codec
 * holds and returns it; the caller reads it and never puts it. */
#include <stdlib.h>
#include <kref.h>

struct profile { struct kref ref; int level; };
struct codec { struct profile *profile; int id; };

static void profile_release(struct kref *ref)
{
	free(container_of(ref, struct profile, ref));
}

void profile_put(struct profile *p)
{
	kref_put(&p->ref, profile_release);
}

struct profile *codec_get_profile(struct codec *c)
{
	if (!c->profile)
		return NULL;
	kref_get(&c->profile->ref);
	return c->profile;
}

int codec_level(struct codec *c)
{
	struct profile *p = codec_get_profile(c);
	int level = 0;

	if (p)
		level = p->level;	/* expect: rule 2 */
	return level;
}
