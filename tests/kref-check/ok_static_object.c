/* SPDX-License-Identifier: MIT */
/* Correct: the default profile is a static object that is never freed (its
 * count starts at 1 and that reference is never put), so taking a reference
 * to it needs no lock. */
#include <stdlib.h>
#include <kref.h>

struct profile {
	struct kref ref;
	int dynamic;
	int quality;
};

static void profile_release(struct kref *ref)
{
	struct profile *p = container_of(ref, struct profile, ref);

	if (p->dynamic)
		free(p);
}

static struct profile default_profile = { .ref = KREF_INIT(1), .quality = 5 };

struct profile *profile_default(void)
{
	kref_get(&default_profile.ref);
	return &default_profile;
}

struct profile *profile_new(int quality)
{
	struct profile *p = malloc(sizeof(*p));

	if (!p)
		return profile_default();
	kref_init(&p->ref);
	p->dynamic = 1;
	p->quality = quality;
	return p;
}

void profile_put(struct profile *p)
{
	kref_put(&p->ref, profile_release);
}
