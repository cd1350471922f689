/* SPDX-License-Identifier: MIT */
/* Correct: a font cache finds a glyph under its read lock and takes the
 * reference before it drops the lock, so eviction, which unlinks the
 * glyph under the write lock before putting it, cannot free it between
 * the lookup and the get.  A glyph the function makes itself needs no
 * lock to get. */
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

struct glyph *font_cache_lookup(struct font_cache *fc, unsigned cp)
{
	struct glyph *g;

	pthread_rwlock_rdlock(&fc->lock);
	if (cache_slot_find(fc, cp, (void **)&g) != 0) {
		pthread_rwlock_unlock(&fc->lock);
		return NULL;
	}
	kref_get(&g->refs);
	pthread_rwlock_unlock(&fc->lock);
	return g;
}

struct glyph *font_cache_peek(struct font_cache *fc, unsigned cp)
{
	struct glyph *g;

	pthread_rwlock_rdlock(&fc->lock);
	g = fc->slots[cp & 255];
	if (g)
		kref_get(&g->refs);
	pthread_rwlock_unlock(&fc->lock);
	return g;
}

struct glyph *font_cache_add(struct font_cache *fc, unsigned cp)
{
	struct glyph *g;

	pthread_rwlock_wrlock(&fc->lock);
	g = calloc(1, sizeof(*g));
	if (g) {
		kref_init(&g->refs);
		g->codepoint = cp;
		fc->slots[cp & 255] = g;
	}
	pthread_rwlock_unlock(&fc->lock);
	if (g)
		kref_get(&g->refs);
	return g;
}
