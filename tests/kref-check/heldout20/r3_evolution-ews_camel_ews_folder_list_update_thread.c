/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/evolution-ews
 * Path: src/camel/camel-ews-store.c
 * Fix commit: 94b3ce3cc8c047c68a2cc5a342a68ecf9ecf3098
 * Bug: the folder-list update thread uses ews_store->priv->connection without
 * connection_lock and without a reference, while ews_disconnect_sync() drops
 * the store's reference to the connection and clears the field under that
 * lock (bug 751725).
 */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

typedef struct _EEwsConnection {
	struct kref ref;		/* the GObject count */
	void *soup_session;
} EEwsConnection;

typedef struct _CamelEwsStorePrivate {
	EEwsConnection *connection;	/* one reference, set by connect */
	pthread_mutex_t connection_lock;
} CamelEwsStorePrivate;

typedef struct _CamelEwsStore {
	CamelEwsStorePrivate *priv;
} CamelEwsStore;

struct ScheduleUpdateData {
	CamelEwsStore *ews_store;	/* referenced by the scheduler */
	int cancelled;
};

/* closes the connection's soup session and frees the object */
extern void e_ews_connection_finalize(EEwsConnection *cnc);
/* SyncFolderHierarchy request; *new_sync_state is newly allocated */
extern int e_ews_connection_sync_folder_hierarchy_sync(EEwsConnection *cnc,
						       const char *old_sync_state,
						       char **new_sync_state);
/* returns a newly allocated copy of the summary's "sync_state" */
extern char *camel_ews_store_summary_dup_sync_state(CamelEwsStore *ews_store);
/* applies the created/updated/deleted folders and stores new_sync_state */
extern void ews_update_folder_hierarchy(CamelEwsStore *ews_store, char *new_sync_state);
/* drops the data's store reference and frees it */
extern void free_schedule_update_data(struct ScheduleUpdateData *sud);

static void e_ews_connection_release(struct kref *ref)
{
	e_ews_connection_finalize(container_of(ref, EEwsConnection, ref));
}

EEwsConnection *camel_ews_store_ref_connection(CamelEwsStore *ews_store)
{
	EEwsConnection *connection = NULL;

	pthread_mutex_lock(&ews_store->priv->connection_lock);
	if (ews_store->priv->connection) {
		connection = ews_store->priv->connection;
		kref_get(&connection->ref);
	}
	pthread_mutex_unlock(&ews_store->priv->connection_lock);

	return connection;
}

int ews_disconnect_sync(CamelEwsStore *ews_store)
{
	pthread_mutex_lock(&ews_store->priv->connection_lock);
	if (ews_store->priv->connection) {
		kref_put(&ews_store->priv->connection->ref, e_ews_connection_release);
		ews_store->priv->connection = NULL;
	}
	pthread_mutex_unlock(&ews_store->priv->connection_lock);

	return 1;
}

void *camel_ews_folder_list_update_thread(void *user_data)
{
	struct ScheduleUpdateData *sud = user_data;
	CamelEwsStore *ews_store = sud->ews_store;
	char *old_sync_state = NULL, *new_sync_state = NULL;

	if (sud->cancelled)
		goto exit;

	old_sync_state = camel_ews_store_summary_dup_sync_state(ews_store);
	if (!e_ews_connection_sync_folder_hierarchy_sync(
			ews_store->priv->connection, /* expect: rule 3 */
			old_sync_state, &new_sync_state))
		goto exit;

	ews_update_folder_hierarchy(ews_store, new_sync_state);

exit:
	free(old_sync_state);
	free_schedule_update_data(sud);
	return NULL;
}
