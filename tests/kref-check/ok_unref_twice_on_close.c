/* SPDX-License-Identifier: MIT */
/* Rule 2 kept: a glib-like library of its own.  The viewer held two
 * references on its document (one for the view, one taken when it was
 * attached), so closing it drops two.  The twin of
 * r2_unref_twice_on_close.c. */
#include <stdlib.h>
#include <kref.h>

typedef struct Doc { struct kref ref; int n_views; } Doc;
typedef struct Viewer { Doc *doc; int open; } Viewer;

static void doc_finalize(struct kref *ref)
{
	free(container_of(ref, Doc, ref));
}

void doc_unref(Doc *doc)
{
	kref_put(&doc->ref, doc_finalize);
}

static void viewer_detach(Doc *doc)
{
	doc->n_views--;
	doc_unref(doc);
}

void viewer_close(Viewer *v)
{
	Doc *doc = v->doc;

	v->open = 0;
	v->doc = NULL;
	viewer_detach(doc);
	free(v);
}

Viewer *viewer_open(Doc *doc)
{
	Viewer *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	kref_get(&doc->ref);
	doc->n_views++;
	v->doc = doc;
	v->open = 1;
	return v;
}
