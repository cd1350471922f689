/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/devhelp
 * Path:    src/dh-parser.c
 * Fix:     0bba90813b4ede88698979b75ada84fed0ea629a
 * Bug:     parser_start_node_chapter() put the new DhLink both in the keyword
 *          list and in the book's GNode tree but held only one reference,
 *          so dh_book_finalize() dropped it twice.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct DhLink {
	struct kref ref;
	const char *name;
	const char *uri;
} DhLink;

typedef struct GNode {
	void *data;
	struct GNode *parent;
	struct GNode *children;
	struct GNode *next;
} GNode;

typedef struct GList {
	void *data;
	struct GList *next;
} GList;

typedef struct {
	GList **keywords;
	GNode *book_node;
	GNode *parent;
} DhParser;

/* allocates a tree node holding data; takes no reference */
extern GNode *g_node_new(void *data);
/* links node as the first child of parent */
extern void g_node_prepend(GNode *parent, GNode *node);
/* prepends data to the list; takes no reference */
extern GList *g_list_prepend(GList *list, void *data);

static void dh_link_free(struct kref *ref)
{
	free(container_of(ref, DhLink, ref));
}

DhLink *dh_link_new(const char *name, const char *uri)
{
	DhLink *link = calloc(1, sizeof(*link));

	if (link == NULL)
		return NULL;
	kref_init(&link->ref);
	link->name = name;
	link->uri = uri;
	return link;
}

DhLink *dh_link_ref(DhLink *link)
{
	kref_get(&link->ref);
	return link;
}

void dh_link_unref(DhLink *link)
{
	kref_put(&link->ref, dh_link_free);
}

/* dh_book_finalize(): every tree node and every keyword drops one reference */
void unref_node_link(GNode *node)
{
	dh_link_unref(node->data);
}

void parser_start_node_chapter(DhParser *parser, const char *name,
			       const char *uri)
{
	DhLink *link;
	GNode *node;

	link = dh_link_new(name, uri);
	if (link == NULL)
		return;

	*parser->keywords = g_list_prepend(*parser->keywords, link);

	node = g_node_new(dh_link_ref(link));
	g_node_prepend(parser->parent, node);
	parser->parent = node;
}
