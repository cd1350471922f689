/* SPDX-License-Identifier: MIT */
/* Rule 2: a glib-like library of its own.  Closing a viewer drops the
 * document reference the viewer was given, once through the document and
 * once more through the helper that "detaches" it: the viewer held one
 * reference, so the second unref drops somebody else's. */
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
	doc_unref(doc);
	viewer_detach(doc);	/* expect: rule 2 */
	free(v);
}
