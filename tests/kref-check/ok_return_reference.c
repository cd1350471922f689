/* SPDX-License-Identifier: MIT */
/* Correct: returning the object hands the reference to the caller, on the
 * early return too; only the path that gives up puts it. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

struct font {
	struct kref kref;
	char family[32];
	int size;
	struct font *next;
};

static struct font *font_cache;
static pthread_mutex_t font_lock = PTHREAD_MUTEX_INITIALIZER;

static void font_release(struct kref *kref)
{
	struct font *f = container_of(kref, struct font, kref), **pp;

	for (pp = &font_cache; *pp; pp = &(*pp)->next)
		if (*pp == f) {
			*pp = f->next;
			break;
		}
	pthread_mutex_unlock(&font_lock);
	free(f);
}

static void font_put(struct font *f)
{
	kref_put_mutex(&f->kref, font_release, &font_lock);
}

struct font *font_open(const char *family, int size)
{
	struct font *f;

	pthread_mutex_lock(&font_lock);
	for (f = font_cache; f; f = f->next) {
		if (strcmp(f->family, family) == 0 && f->size == size) {
			kref_get(&f->kref);
			pthread_mutex_unlock(&font_lock);
			return f;
		}
	}
	pthread_mutex_unlock(&font_lock);
	return NULL;
}

struct font *font_open_any(const char *family)
{
	struct font *f = font_open(family, 12);

	if (!f)
		return NULL;
	if (f->size == 12)
		return f;
	font_put(f);
	return NULL;
}
