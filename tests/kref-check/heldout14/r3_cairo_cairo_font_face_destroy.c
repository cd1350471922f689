/* SPDX-License-Identifier: MIT */
/*
 * Project: freedesktop/cairo (mirror of gitlab.freedesktop.org/cairo/cairo)
 * Path:    src/cairo-font-face.c, src/cairo-toy-font-face.c
 * Fix:     337ab1f8d9e29086bfb4001508b28835b41c6390
 * Bug:     cairo_font_face_destroy() drops the count to zero without the toy
 *          font hash-table lock, and only the destroy callback takes that lock
 *          to unlink the face, so cairo_toy_font_face_create() can find the
 *          dying face in the table and take a reference to it.
 */
#include <kref.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct _cairo_toy_font_face {
	struct kref ref;
	char *family;
	int slant;
	int weight;
	struct _cairo_toy_font_face *next;	/* hash-table chain */
} cairo_toy_font_face_t;

/* the toy font hash table and its lock */
static pthread_mutex_t _cairo_toy_font_face_mutex = PTHREAD_MUTEX_INITIALIZER;
static cairo_toy_font_face_t *cairo_toy_font_face_hash_table;

/* frees the family name and the face's backend data (not the face itself) */
extern void _cairo_toy_font_face_fini(cairo_toy_font_face_t *font_face);

static cairo_toy_font_face_t *
_cairo_toy_font_face_hash_table_lookup(const char *family, int slant, int weight)
{
	cairo_toy_font_face_t *f;

	for (f = cairo_toy_font_face_hash_table; f; f = f->next)
		if (f->slant == slant && f->weight == weight &&
		    strcmp(f->family, family) == 0)
			return f;
	return NULL;
}

static void
_cairo_toy_font_face_hash_table_remove(cairo_toy_font_face_t *font_face)
{
	cairo_toy_font_face_t **pp;

	for (pp = &cairo_toy_font_face_hash_table; *pp; pp = &(*pp)->next) {
		if (*pp == font_face) {
			*pp = font_face->next;
			return;
		}
	}
}

/* the backend destroy: runs once the count has reached zero */
static void
_cairo_toy_font_face_destroy(struct kref *ref)
{
	cairo_toy_font_face_t *font_face =
		container_of(ref, cairo_toy_font_face_t, ref);

	pthread_mutex_lock(&_cairo_toy_font_face_mutex);
	_cairo_toy_font_face_hash_table_remove(font_face);
	pthread_mutex_unlock(&_cairo_toy_font_face_mutex);

	_cairo_toy_font_face_fini(font_face);
	free(font_face);
}

cairo_toy_font_face_t *
cairo_toy_font_face_create(const char *family, int slant, int weight)
{
	cairo_toy_font_face_t *font_face;

	pthread_mutex_lock(&_cairo_toy_font_face_mutex);
	font_face = _cairo_toy_font_face_hash_table_lookup(family, slant, weight);
	if (font_face) {
		/* found in the cache: the caller gets a new reference */
		kref_get(&font_face->ref);
		pthread_mutex_unlock(&_cairo_toy_font_face_mutex);
		return font_face;
	}

	font_face = calloc(1, sizeof(*font_face));
	if (!font_face) {
		pthread_mutex_unlock(&_cairo_toy_font_face_mutex);
		return NULL;
	}
	font_face->family = strdup(family);
	font_face->slant = slant;
	font_face->weight = weight;
	kref_init(&font_face->ref);
	font_face->next = cairo_toy_font_face_hash_table;
	cairo_toy_font_face_hash_table = font_face;
	pthread_mutex_unlock(&_cairo_toy_font_face_mutex);

	return font_face;
}

void
cairo_font_face_destroy(cairo_toy_font_face_t *font_face)
{
	if (font_face == NULL)
		return;

	kref_put(&font_face->ref, _cairo_toy_font_face_destroy); /* expect: rule 3 */
}
