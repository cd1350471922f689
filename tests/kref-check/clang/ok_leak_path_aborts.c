/* SPDX-License-Identifier: MIT */
/* Rule 2, correct: the only path that leaves the reference unput ends in
 * abort(); a path that never returns leaks nothing. */
#include <stdlib.h>
#include <kref.h>

struct job { struct kref ref; int id; };
struct slot { struct job *job; };

/* Returns the job with a new reference, or NULL. */
extern struct job *job_lookup_get(int id);

static void job_release(struct kref *ref)
{
	free(container_of(ref, struct job, ref));
}

struct slot *slot_new(int id)
{
	struct job *j = job_lookup_get(id);
	struct slot *s;

	if (!j)
		return NULL;
	s = malloc(sizeof(*s));
	if (!s)
		abort();
	s->job = j;
	return s;
}

void slot_free(struct slot *s)
{
	kref_put(&s->job->ref, job_release);
	free(s);
}
