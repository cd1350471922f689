/* SPDX-License-Identifier: MIT */
/*
 * Project: tpm2-software/tpm2-abrmd
 * Path: src/resource-manager.c
 * Fix commit: 0115d572bc4f6026a28a2ed5d7340ca77c6dc4d2
 *   ("ResourceManager: Fix race condition in session save logic.")
 * Bug: post_process_loaded_sessions() walks the shared SessionList, whose
 * entries it holds no reference to, without the list's lock, while the
 * connection teardown walks the same list under the lock and removes and
 * unrefs (the list's reference, the last one) the entries of the closed
 * connection; the saver can be working on an entry that is being freed.
 * The fix takes the list lock around the walk (and teardown no longer
 * expects to meet a session in the LOADED state).
 *
 * Written for libkref's held-out set: a reconstruction on struct kref, not
 * tpm2-abrmd's code (SessionEntry is a GObject there, and the list a
 * GList).
 */
#include <kref.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

typedef uint32_t TPM2_HANDLE;
typedef struct Connection Connection;
typedef struct AccessBroker AccessBroker;

typedef enum {
	SESSION_ENTRY_SAVED_CLIENT,
	SESSION_ENTRY_SAVED_RM,
	SESSION_ENTRY_LOADED,
} SessionEntryStateEnum;

typedef struct SessionEntry {
	struct kref ref;
	TPM2_HANDLE handle;
	SessionEntryStateEnum state;
	Connection *connection;
} SessionEntry;

typedef struct SessionNode {
	SessionEntry *entry;		/* the list's reference */
	struct SessionNode *next;
} SessionNode;

typedef struct SessionList {
	pthread_mutex_t mutex;
	SessionNode *head;
} SessionList;

typedef struct ResourceManager {
	AccessBroker *access_broker;
	SessionList *session_list;
} ResourceManager;

typedef void (*SessionFunc)(SessionEntry *entry, void *user_data);

/* Saves the session's context out of the TPM (ContextSave); 0 on success. */
extern int access_broker_context_save(AccessBroker *broker, TPM2_HANDLE handle);
/* Flushes the session's context from the TPM. */
extern int access_broker_context_flush(AccessBroker *broker, TPM2_HANDLE handle);
/* Tells the TPM the client's saved session is abandoned. */
extern void abandon_session(ResourceManager *resmgr, SessionEntry *entry);
/* Logs a fatal internal error and aborts. */
extern void g_error_unexpected_state(SessionEntryStateEnum state);

static void session_entry_finalize(struct kref *ref)
{
	free(container_of(ref, SessionEntry, ref));
}

void session_entry_unref(SessionEntry *entry)
{
	kref_put(&entry->ref, session_entry_finalize);
}

int session_list_lock(SessionList *list)
{
	return pthread_mutex_lock(&list->mutex);
}

int session_list_unlock(SessionList *list)
{
	return pthread_mutex_unlock(&list->mutex);
}

/* Calls @func on each entry; the caller locks the list. */
void session_list_foreach(SessionList *list, SessionFunc func, void *user_data)
{
	SessionNode *node, *next;

	for (node = list->head; node != NULL; node = next) {
		next = node->next;
		func(node->entry, user_data);
	}
}

/* Unlinks @entry and drops the list's reference; the caller locks. */
void session_list_remove(SessionList *list, SessionEntry *entry)
{
	SessionNode **p, *node;

	for (p = &list->head; *p != NULL; p = &(*p)->next) {
		if ((*p)->entry == entry) {
			node = *p;
			*p = node->next;
			free(node);
			session_entry_unref(entry);
			return;
		}
	}
}

static void resource_manager_save_session_context(SessionEntry *entry, void *data)
{
	ResourceManager *resmgr = data;

	if (entry->state != SESSION_ENTRY_LOADED)
		return;
	if (access_broker_context_save(resmgr->access_broker, entry->handle) == 0)
		entry->state = SESSION_ENTRY_SAVED_RM;
}

/* Command thread: after a command, save every session it loaded. */
void post_process_loaded_sessions(ResourceManager *resmgr)
{
	session_list_lock(resmgr->session_list);
	session_list_foreach(resmgr->session_list,
			     resource_manager_save_session_context, resmgr);
	session_list_unlock(resmgr->session_list);
}

typedef struct {
	Connection *connection;
	ResourceManager *resource_manager;
} connection_close_data_t;

static void connection_close_session_callback(SessionEntry *session_entry, void *user_data)
{
	connection_close_data_t *callback_data = user_data;
	ResourceManager *resource_manager = callback_data->resource_manager;

	if (session_entry->connection != callback_data->connection)
		return;
	switch (session_entry->state) {
	case SESSION_ENTRY_SAVED_CLIENT:
		abandon_session(resource_manager, session_entry);
		break;
	case SESSION_ENTRY_SAVED_RM:
		access_broker_context_flush(resource_manager->access_broker,
					    session_entry->handle);
		session_list_remove(resource_manager->session_list, session_entry);
		break;
	default:
		g_error_unexpected_state(session_entry->state);
	}
}

/* Connection teardown thread: a client went away. */
void resource_manager_remove_connection(ResourceManager *resource_manager,
					Connection *connection)
{
	connection_close_data_t connection_close_data = {
		.connection = connection,
		.resource_manager = resource_manager,
	};

	session_list_lock(resource_manager->session_list);
	session_list_foreach(resource_manager->session_list,
			     connection_close_session_callback,
			     &connection_close_data);
	session_list_unlock(resource_manager->session_list);
}
