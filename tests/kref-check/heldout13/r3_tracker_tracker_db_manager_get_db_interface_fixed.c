/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/tracker
 * Path: src/libtracker-data/tracker-db-manager.c, src/libtracker-data/tracker-sparql.c
 * Fix commit: dd04b1f3aec0acaa79db20c140e72cbdb3561f98
 * Bug: tracker_db_manager_get_db_interface() picks a read-only interface
 * from the pool under the pool lock but hands it out without a usage
 * reference; the cursor takes one only later, so
 * tracker_db_manager_release_memory() can close the "unused" interface
 * in between.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <kref.h>

#define MAX_INTERFACES 4

typedef struct {
	struct kref use;	/* the pool's reference plus one per user */
	void *sqlite_db;
} TrackerDBInterface;

typedef struct {
	TrackerDBInterface *iface;
} TrackerDBCursor;

typedef struct {
	pthread_mutex_t lock;
	TrackerDBInterface *interfaces[MAX_INTERFACES];
	int n_interfaces;
	unsigned int next;
} TrackerDBManager;

/* closes the sqlite connection */
extern void tracker_db_interface_close(TrackerDBInterface *iface);

static void tracker_db_interface_release(struct kref *use)
{
	TrackerDBInterface *iface = container_of(use, TrackerDBInterface, use);

	tracker_db_interface_close(iface);
	free(iface);
}

void tracker_db_interface_ref_use(TrackerDBInterface *iface)
{
	kref_get(&iface->use);
}

void tracker_db_interface_unref_use(TrackerDBInterface *iface)
{
	kref_put(&iface->use, tracker_db_interface_release);
}

static int tracker_db_interface_get_is_used(TrackerDBInterface *iface)
{
	return kref_read(&iface->use) > 1;
}

/* returns the interface with a usage reference the caller must drop */
TrackerDBInterface *
tracker_db_manager_get_db_interface(TrackerDBManager *db_manager)
{
	TrackerDBInterface *interface = NULL;

	pthread_mutex_lock(&db_manager->lock);
	if (db_manager->n_interfaces > 0) {
		interface = db_manager->interfaces[db_manager->next %
						   db_manager->n_interfaces];
		db_manager->next++;
		tracker_db_interface_ref_use(interface);
	}
	pthread_mutex_unlock(&db_manager->lock);

	return interface;
}

/* runs on the update thread when the connection wants to free memory */
void tracker_db_manager_release_memory(TrackerDBManager *db_manager)
{
	int i = 0;

	pthread_mutex_lock(&db_manager->lock);
	while (i < db_manager->n_interfaces) {
		TrackerDBInterface *iface = db_manager->interfaces[i];

		if (tracker_db_interface_get_is_used(iface)) {
			i++;
			continue;
		}
		db_manager->interfaces[i] =
			db_manager->interfaces[--db_manager->n_interfaces];
		tracker_db_interface_unref_use(iface);
	}
	pthread_mutex_unlock(&db_manager->lock);
}

/* the cursor keeps a usage reference on its interface */
TrackerDBCursor *tracker_db_cursor_new(TrackerDBInterface *iface)
{
	TrackerDBCursor *cursor = malloc(sizeof(*cursor));

	if (cursor == NULL)
		return NULL;
	tracker_db_interface_ref_use(iface);
	cursor->iface = iface;
	return cursor;
}

TrackerDBCursor *tracker_sparql_execute_cursor(TrackerDBManager *db_manager)
{
	TrackerDBInterface *iface;
	TrackerDBCursor *cursor = NULL;

	iface = tracker_db_manager_get_db_interface(db_manager);
	if (iface == NULL)
		goto error;

	cursor = tracker_db_cursor_new(iface);

error:
	if (iface)
		tracker_db_interface_unref_use(iface);
	return cursor;
}
