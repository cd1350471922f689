/* SPDX-License-Identifier: MIT */
/* Rule 3: a font cache finds a glyph under its read lock, drops the lock,
 * then takes the reference.  Between the unlock and the get, another
 * thread can evict the glyph and put its last reference, so the get
 * touches freed memory.  The reference must be taken before the unlock. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

struct glyph {
	struct kref refs;
	unsigned codepoint;
	unsigned char bitmap[64];
};

struct font_cache {
	pthread_rwlock_t lock;
	struct glyph *slots[256];
};

static void glyph_release(struct kref *kref)
{
	struct glyph *g = container_of(kref, struct glyph, refs);

	free(g);
}

void glyph_put(struct glyph *g)
{
	kref_put(&g->refs, glyph_release);
}

static int cache_slot_find(struct font_cache *fc, unsigned cp, void **out)
{
	struct glyph *g = fc->slots[cp & 255];

	if (!g || g->codepoint != cp)
		return -1;
	*out = g;
	return 0;
}

void font_cache_evict(struct font_cache *fc, unsigned cp)
{
	struct glyph *g;

	pthread_rwlock_wrlock(&fc->lock);
	g = fc->slots[cp & 255];
	fc->slots[cp & 255] = NULL;
	pthread_rwlock_unlock(&fc->lock);
	if (g)
		glyph_put(g);
}

/* Found through an out-parameter. */
struct glyph *font_cache_lookup(struct font_cache *fc, unsigned cp)
{
	struct glyph *g;

	pthread_rwlock_rdlock(&fc->lock);
	if (cache_slot_find(fc, cp, (void **)&g) != 0) {
		pthread_rwlock_unlock(&fc->lock);
		return NULL;
	}
	pthread_rwlock_unlock(&fc->lock);
	kref_get(&g->refs);	/* expect: rule 3 */
	return g;
}

/* Found by an assignment. */
struct glyph *font_cache_peek(struct font_cache *fc, unsigned cp)
{
	struct glyph *g;

	pthread_rwlock_rdlock(&fc->lock);
	g = fc->slots[cp & 255];
	pthread_rwlock_unlock(&fc->lock);
	if (!g)
		return NULL;
	kref_get(&g->refs);	/* expect: rule 3 */
	return g;
}
