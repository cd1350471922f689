/* SPDX-License-Identifier: MIT */
/* Correct: the cache takes over the caller's bitmap with the glyph's one
 * reference, and the caller is done with the bitmap once it stored it:
 * nothing but the cache uses the pixels afterwards. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

struct bitmap { unsigned char *pixels; int w, h; };
struct glyph { struct kref ref; struct bitmap bmp; int code; };
struct glyph_table;
struct glyph_cache { pthread_mutex_t lock; struct glyph_table *table; size_t bytes; };
struct font { struct glyph_cache cache; };

void glyph_table_put(struct glyph_table *t, int code, struct glyph *g);
struct glyph *glyph_table_take_oldest(struct glyph_table *t);
int rasterize(struct font *f, int code, struct bitmap *out);

static void glyph_release(struct kref *ref)
{
	struct glyph *g = container_of(ref, struct glyph, ref);

	free(g->bmp.pixels);
	free(g);
}

static struct glyph *glyph_new(const struct bitmap *bm, int code)
{
	struct glyph *g = malloc(sizeof(*g));

	if (!g)
		return NULL;
	kref_init(&g->ref);
	g->bmp = *bm;
	g->code = code;
	return g;
}

void glyph_cache_trim(struct glyph_cache *gc)
{
	struct glyph *old;

	pthread_mutex_lock(&gc->lock);
	old = glyph_table_take_oldest(gc->table);
	if (old)
		kref_put(&old->ref, glyph_release);
	pthread_mutex_unlock(&gc->lock);
}

static int glyph_cache_store(struct glyph_cache *gc, const struct bitmap *bm, int code)
{
	struct glyph *g = glyph_new(bm, code);

	if (!g)
		return -1;
	pthread_mutex_lock(&gc->lock);
	glyph_table_put(gc->table, code, g);
	gc->bytes += (size_t)bm->w * bm->h;
	pthread_mutex_unlock(&gc->lock);
	return 0;
}

int prefetch_char(struct font *f, int code)
{
	struct bitmap bm;

	if (rasterize(f, code, &bm) < 0)
		return -1;
	return glyph_cache_store(&f->cache, &bm, code);
}
