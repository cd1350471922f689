/* SPDX-License-Identifier: MIT */
/* Correct: Render(c, l) comment "drops cached glyphs": 'drops c'
 * substring-matches parameter c; canvas is only borrowed. */
#include <stdlib.h>
#include <kref.h>

struct canvas { struct kref ref; int w, h; };
struct layer { int z; };

static void canvas_free(struct kref *ref) { free(container_of(ref, struct canvas, ref)); }
void canvas_put(struct canvas *c) { kref_put(&c->ref, canvas_free); }
/* Draws l onto c; drops cached glyphs first. */
extern void render(struct canvas *c, struct layer *l);

void draw_once(struct layer *l)
{
	struct canvas *c = malloc(sizeof(*c));

	if (!c)
		return;
	kref_init(&c->ref);
	c->w = c->h = 64;
	render(c, l);
	canvas_put(c);
}
