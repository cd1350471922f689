/* SPDX-License-Identifier: MIT */
/* Correct: frees on the allocation-failure paths happen before kref_init,
 * when nobody else can have the object; afterwards only kref_put. */
#include <stdlib.h>
#include <string.h>
#include <kref.h>

struct document {
	struct kref ref;
	char *title;
	char *body;
};

static void document_release(struct kref *ref)
{
	struct document *d = container_of(ref, struct document, ref);

	free(d->title);
	free(d->body);
	free(d);
}

struct document *document_new(const char *title, size_t body_size)
{
	struct document *d = malloc(sizeof(*d));

	if (!d)
		return NULL;
	d->title = strdup(title);
	if (!d->title) {
		free(d);
		return NULL;
	}
	d->body = calloc(1, body_size);
	if (!d->body)
		goto err_title;
	kref_init(&d->ref);
	return d;

err_title:
	free(d->title);
	free(d);
	return NULL;
}

void document_put(struct document *d)
{
	kref_put(&d->ref, document_release);
}
