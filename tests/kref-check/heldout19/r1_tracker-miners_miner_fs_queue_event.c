/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/tracker-miners
 * Path: src/miners/fs/tracker-miner-fs.c
 * Fix: e215574e428341671bc8b279bcf39122dcbc2462
 * Bug: miner_fs_queue_event() uses the queued event's GFile as the key of
 * the items_by_file hash table without a reference of the table's own, so
 * the key dangles once the event (which owns the file) is freed.
 */
#include <stdlib.h>
#include <kref.h>

typedef void *gpointer;
typedef unsigned int guint;
typedef int gboolean;
typedef void (*GDestroyNotify)(gpointer data);
typedef guint (*GHashFunc)(const void *key);
typedef gboolean (*GEqualFunc)(const void *a, const void *b);

typedef struct _GHashTable GHashTable;
typedef struct _TrackerPriorityQueue TrackerPriorityQueue;
typedef struct _GList GList;

typedef struct _GFile {
	struct kref ref;
	char *uri;
} GFile;

typedef struct {
	int type;
	gboolean is_dir;
	GFile *file;		/* counted */
	GList *queue_node;
} QueueEvent;

typedef struct {
	TrackerPriorityQueue *items;
	GHashTable *items_by_file;	/* GFile -> QueueEvent */
} TrackerMinerFSPrivate;

typedef struct {
	TrackerMinerFSPrivate *priv;
} TrackerMinerFS;

/* hashes a GFile by its URI */
extern guint g_file_hash(const void *file);
/* compares two GFiles by URI */
extern gboolean g_file_equal(const void *a, const void *b);
/* creates a table; the destroy functions (if any) run on removal */
extern GHashTable *g_hash_table_new_full(GHashFunc hash, GEqualFunc equal,
		GDestroyNotify key_destroy, GDestroyNotify value_destroy);
/* inserts or replaces key -> value; takes over the key as the table was told */
extern gboolean g_hash_table_replace(GHashTable *table, gpointer key, gpointer value);
/* creates the priority queue of events */
extern TrackerPriorityQueue *tracker_priority_queue_new(void);
/* queues an event; the queue owns the event and frees it with queue_event_free */
extern GList *tracker_priority_queue_add(TrackerPriorityQueue *q, gpointer data, int priority);
/* schedules the queue handlers */
extern void item_queue_handlers_set_up(TrackerMinerFS *fs);

static void g_file_release(struct kref *kref)
{
	GFile *file = container_of(kref, GFile, ref);

	free(file->uri);
	free(file);
}

static gpointer g_object_ref(gpointer object)
{
	GFile *file = object;

	kref_get(&file->ref);
	return file;
}

static void g_object_unref(gpointer object)
{
	GFile *file = object;

	kref_put(&file->ref, g_file_release);
}

void tracker_miner_fs_init(TrackerMinerFS *object)
{
	TrackerMinerFSPrivate *priv = object->priv;

	priv->items = tracker_priority_queue_new();
	priv->items_by_file = g_hash_table_new_full(g_file_hash, g_file_equal,
	                                            NULL, NULL);
}

QueueEvent *queue_event_new(int type, GFile *file)
{
	QueueEvent *event;

	event = calloc(1, sizeof(*event));
	if (!event)
		return NULL;
	event->type = type;
	event->file = g_object_ref(file);

	return event;
}

void queue_event_free(QueueEvent *event)
{
	if (event->file)
		g_object_unref(event->file);
	free(event);
}

void miner_fs_queue_event(TrackerMinerFS *fs, QueueEvent *event, int priority)
{
	if (event) {
		event->queue_node =
			tracker_priority_queue_add(fs->priv->items, event, priority);
		g_hash_table_replace(fs->priv->items_by_file, event->file, event); /* expect: rule 1 */
		item_queue_handlers_set_up(fs);
	}
}
