/* SPDX-License-Identifier: MIT */
/* Rule 3: plain C with pthreads.  font_cache_acquire() returns a face
 * with a reference the caller drops with font_face_unref(): a fresh face
 * from font_face_new(), or one found in the cache and counted.  When the
 * cache already holds a face for the name, the path that returns it takes
 * no reference and drops the cache mutex first; font_cache_trim() removes
 * faces from the cache under that mutex and puts them, so the face may be
 * freed before the caller uses it, and the caller's unref is one too many. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

struct font_map;

typedef struct font_face {
	struct kref refs;
	char *name;
} font_face;

typedef struct font_cache {
	pthread_mutex_t mutex;
	struct font_map *faces;
} font_cache;

/* The face for name in the map (borrowed), or NULL. */
extern font_face *font_map_lookup(struct font_map *m, const char *name);
extern void font_map_insert(struct font_map *m, font_face *face);
/* Removes and returns the least recently used face, or NULL. */
extern font_face *font_map_evict(struct font_map *m);

static void font_face_destroy(struct kref *k)
{
	font_face *face = container_of(k, font_face, refs);

	free(face->name);
	free(face);
}

void font_face_unref(font_face *face)
{
	kref_put(&face->refs, font_face_destroy);
}

static font_face *font_face_new(const char *name)
{
	font_face *face = calloc(1, sizeof(*face));

	if (!face)
		return NULL;
	kref_init(&face->refs);
	face->name = strdup(name);
	return face;
}

void font_cache_trim(font_cache *c)
{
	font_face *face;

	pthread_mutex_lock(&c->mutex);
	face = font_map_evict(c->faces);
	if (face)
		font_face_unref(face);
	pthread_mutex_unlock(&c->mutex);
}

font_face *font_cache_acquire(font_cache *c, const char *name, int create)
{
	font_face *face;

	if (create) {
		face = font_face_new(name);
		return face;
	}
	pthread_mutex_lock(&c->mutex);
	face = font_map_lookup(c->faces, name);
	pthread_mutex_unlock(&c->mutex);
	return face;	/* expect: rule 3 */
}
