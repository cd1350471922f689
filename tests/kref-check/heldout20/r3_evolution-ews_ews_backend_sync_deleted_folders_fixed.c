/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/evolution-ews
 * Path: src/collection/e-ews-backend.c
 * Fix commit: 20169aefb76653cd6a9f553b83567cf1dc8bcdb7
 * Bug: ews_backend_sync_deleted_folders() looks the folder's ESource up in
 * the backend's folders table with no lock and takes no reference, while
 * ews_backend_child_removed() removes table entries, dropping the table's
 * reference to the source.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

typedef struct _ESource {
	struct kref ref;		/* the GObject count */
	char *uid;
} ESource;

typedef struct _ESourceRegistryServer ESourceRegistryServer;

/* folder ID -> ESource; each entry holds a reference to its source */
struct FolderEntry {
	char *folder_id;
	ESource *source;
	struct FolderEntry *next;
};

typedef struct _EEwsBackendPrivate {
	struct FolderEntry *folders;
	pthread_mutex_t folders_lock;
} EEwsBackendPrivate;

typedef struct _EEwsBackend {
	EEwsBackendPrivate *priv;
} EEwsBackend;

/* frees the source's extensions and the object */
extern void e_source_finalize(ESource *source);
/* returns the source's EWS folder ID, owned by the source */
extern const char *e_source_ews_folder_get_id(ESource *source);
/* removes the source; emits "child-removed", whose handler may run in
 * another thread and calls ews_backend_child_removed() */
extern void e_source_registry_server_remove_source(ESourceRegistryServer *server,
						   ESource *source);

static void e_source_release(struct kref *ref)
{
	e_source_finalize(container_of(ref, ESource, ref));
}

void ews_backend_child_added(EEwsBackend *backend, ESource *child_source)
{
	const char *folder_id = e_source_ews_folder_get_id(child_source);
	struct FolderEntry *entry;

	if (!folder_id)
		return;
	entry = calloc(1, sizeof(*entry));
	if (!entry)
		return;
	entry->folder_id = strdup(folder_id);
	kref_get(&child_source->ref);
	entry->source = child_source;

	pthread_mutex_lock(&backend->priv->folders_lock);
	entry->next = backend->priv->folders;
	backend->priv->folders = entry;
	pthread_mutex_unlock(&backend->priv->folders_lock);
}

void ews_backend_child_removed(EEwsBackend *backend, ESource *child_source)
{
	const char *folder_id = e_source_ews_folder_get_id(child_source);
	struct FolderEntry **p, *entry = NULL;

	if (!folder_id)
		return;

	pthread_mutex_lock(&backend->priv->folders_lock);
	for (p = &backend->priv->folders; *p; p = &(*p)->next) {
		if (!strcmp((*p)->folder_id, folder_id)) {
			entry = *p;
			*p = entry->next;
			break;
		}
	}
	pthread_mutex_unlock(&backend->priv->folders_lock);

	if (entry) {
		kref_put(&entry->source->ref, e_source_release);
		free(entry->folder_id);
		free(entry);
	}
}

static ESource *ews_backend_folders_lookup(EEwsBackend *backend, const char *folder_id)
{
	struct FolderEntry *entry;
	ESource *source = NULL;

	pthread_mutex_lock(&backend->priv->folders_lock);
	for (entry = backend->priv->folders; entry; entry = entry->next) {
		if (!strcmp(entry->folder_id, folder_id)) {
			source = entry->source;
			kref_get(&source->ref);
			break;
		}
	}
	pthread_mutex_unlock(&backend->priv->folders_lock);

	return source;
}

void ews_backend_sync_deleted_folders(EEwsBackend *backend,
				      ESourceRegistryServer *server,
				      const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *folder_id = list[i];
		ESource *source = NULL;

		if (folder_id)
			source = ews_backend_folders_lookup(backend, folder_id);

		if (!source)
			continue;

		/* this triggers "child-removed", whose handler removes
		 * the table entry */
		e_source_registry_server_remove_source(server, source);

		kref_put(&source->ref, e_source_release);
	}
}
