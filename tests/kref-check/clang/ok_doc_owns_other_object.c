/* SPDX-License-Identifier: MIT */
/* Correct: "The log owns a reference to its file only; rec is copied": rec
 * is not kept, caller puts it. */
#include <stdlib.h>
#include <kref.h>

struct rec { struct kref ref; int level; };
struct log;

static void rec_free(struct kref *ref) { free(container_of(ref, struct rec, ref)); }
void rec_put(struct rec *r) { kref_put(&r->ref, rec_free); }
/* Writes the record to log.  The log owns a reference to its file only; rec is copied. */
extern void log_write(struct log *log, struct rec *rec);

void log_hello(struct log *lg)
{
	struct rec *r = malloc(sizeof(*r));

	if (!r)
		return;
	kref_init(&r->ref);
	r->level = 1;
	log_write(lg, r);
	rec_put(r);
}
