/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/gnome-online-accounts
 * Path: src/goaidentity/goaidentityservice.c
 * Fix commit: 4d81406a9559885bc30b70ccf819ab8f359828a1
 * Bug: the identity service passes itself as user_data to asynchronous
 * operations (goa_client_new, list_identities) without taking a reference,
 * so a service finalized early is used by the completion callbacks.
 */
#include <stdlib.h>
#include <stddef.h>
#include <kref.h>

typedef void *gpointer;

/* Just enough of GObject: one counter, the last unref finalizes. */
typedef struct _GObject {
	struct kref ref_count;
} GObject;

/* Frees the service's private data and the object itself. */
extern void goa_identity_service_finalize(GObject *object);

static void g_object_release(struct kref *kref)
{
	goa_identity_service_finalize(container_of(kref, GObject, ref_count));
}

gpointer g_object_ref(gpointer object)
{
	kref_get(&((GObject *)object)->ref_count);
	return object;
}

void g_object_unref(gpointer object)
{
	kref_put(&((GObject *)object)->ref_count, g_object_release);
}

typedef struct _GList {
	gpointer data;
	struct _GList *next;
} GList;

typedef struct _GAsyncResult GAsyncResult;
typedef struct _GoaClient GoaClient;
typedef struct _GoaIdentity GoaIdentity;
typedef struct _GoaIdentityManager GoaIdentityManager;
typedef void (*GAsyncReadyCallback)(gpointer source, GAsyncResult *result, gpointer user_data);

typedef struct {
	GoaClient *client;
	GoaIdentityManager *identity_manager;
} GoaIdentityServicePrivate;

typedef struct _GoaIdentityService {
	GObject parent_instance;
	GoaIdentityServicePrivate *priv;
} GoaIdentityService;

/* Starts creating a client; callback(user_data) runs later from the main loop. */
extern void goa_client_new(gpointer cancellable, GAsyncReadyCallback callback, gpointer user_data);
/* Returns a new client or NULL. */
extern GoaClient *goa_client_new_finish(GAsyncResult *result);
/* Returns a new Kerberos identity manager or NULL. */
extern GoaIdentityManager *goa_kerberos_identity_manager_new(void);
/* Starts listing identities; callback(user_data) runs later from the main loop. */
extern void goa_identity_manager_list_identities(GoaIdentityManager *manager, gpointer cancellable,
						 GAsyncReadyCallback callback, gpointer user_data);
/* Returns the listed identities (the list and its identities are owned). */
extern GList *goa_identity_manager_list_identities_finish(GoaIdentityManager *manager,
							  GAsyncResult *result);
/* Exports one identity on the bus. */
extern void export_identity(GoaIdentityService *self, GoaIdentity *identity);
/* Connects to the accounts' signals and renews their tickets. */
extern void ensure_credentials_for_accounts(GoaIdentityService *self);

static void
on_identities_listed(gpointer source, GAsyncResult *result, gpointer user_data)
{
	GoaIdentityManager *manager = source;
	GoaIdentityService *self = user_data;
	GList *identities, *node;

	identities = goa_identity_manager_list_identities_finish(manager, result);
	if (identities == NULL)
		return;

	for (node = identities; node != NULL; node = node->next)
		export_identity(self, node->data);
}

static void
on_got_client(gpointer source, GAsyncResult *result, gpointer user_data)
{
	GoaIdentityService *self = user_data;

	self->priv->client = goa_client_new_finish(result);
	if (self->priv->client == NULL)
		return;

	self->priv->identity_manager = goa_kerberos_identity_manager_new();
	if (self->priv->identity_manager == NULL)
		return;

	goa_identity_manager_list_identities(self->priv->identity_manager, NULL, on_identities_listed, self); /* expect: rule 1 */

	ensure_credentials_for_accounts(self);
}

void
on_session_bus_acquired(gpointer connection, const char *unique_name, GoaIdentityService *self)
{
	goa_client_new(NULL, on_got_client, self); /* expect: rule 1 */
}
