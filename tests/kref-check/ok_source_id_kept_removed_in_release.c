/* SPDX-License-Identifier: MIT */
/* Correct: the timeout's id is kept in the object and removed in its release */
#include <stdlib.h>
#include <kref.h>
typedef int (*SourceFunc)(void *data);
unsigned int loop_timeout_add(unsigned int ms, SourceFunc fn, void *data);
void loop_source_remove(unsigned int id);
struct blinker { struct kref ref; unsigned int tick_id; int on; };
static void blinker_release(struct kref *r)
{
	struct blinker *b = container_of(r, struct blinker, ref);
	if (b->tick_id)
		loop_source_remove(b->tick_id);
	free(b);
}
void blinker_put(struct blinker *b) { kref_put(&b->ref, blinker_release); }
static int blinker_tick(void *data)
{
	struct blinker *b = data;
	b->on = !b->on;
	return 1;
}
void blinker_start(struct blinker *b)
{
	b->tick_id = loop_timeout_add(500, blinker_tick, b);
}
