/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/libgdata
 * Path: gdata/gdata-client-login-authorizer.c
 * Fix: 3b62d2d1f24e56ee8a60a99a371f830a54a7a958
 * Bug: the authorizer schedules an idle callback that emits property
 * notifications on it without holding a reference, so it can be finalised
 * before the idle callback runs.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

typedef int gboolean;
typedef gboolean (*GSourceFunc)(void *user_data);

/* queues func(data) to run later from the main loop; returns the source id */
extern unsigned int g_idle_add(GSourceFunc func, void *data);
/* emits a "notify" for the named property of the authorizer */
extern void gdata_authorizer_notify(void *authorizer, const char *property);
/* returns a newly allocated copy of the string, or NULL */
extern char *g_strdup(const char *str);

typedef struct _GDataClientLoginAuthorizer {
	struct kref ref;		/* GObject reference count */
	pthread_mutex_t mutex;
	char *username;
	char *password;
} GDataClientLoginAuthorizer;

static void gdata_client_login_authorizer_finalize(struct kref *ref)
{
	GDataClientLoginAuthorizer *self = container_of(ref, GDataClientLoginAuthorizer, ref);

	free(self->username);
	free(self->password);
	pthread_mutex_destroy(&self->mutex);
	free(self);
}

GDataClientLoginAuthorizer *gdata_client_login_authorizer_ref(GDataClientLoginAuthorizer *self)
{
	kref_get(&self->ref);
	return self;
}

void gdata_client_login_authorizer_unref(GDataClientLoginAuthorizer *self)
{
	kref_put(&self->ref, gdata_client_login_authorizer_finalize);
}

/* Runs in the main thread to announce the new username and password. */
static gboolean notify_authentication_details_cb(void *user_data)
{
	GDataClientLoginAuthorizer *self = user_data;

	gdata_authorizer_notify(self, "username");
	gdata_authorizer_notify(self, "password");

	/* Only execute once */
	return 0;
}

void set_authentication_details(GDataClientLoginAuthorizer *self, const char *username,
				const char *password, gboolean is_async)
{
	pthread_mutex_lock(&self->mutex);
	free(self->username);
	self->username = g_strdup(username);
	free(self->password);
	self->password = g_strdup(password);
	pthread_mutex_unlock(&self->mutex);

	/* Async callers are on the authentication thread: notify from the main loop. */
	if (is_async)
		g_idle_add(notify_authentication_details_cb, self); /* expect: rule 1 */
	else
		notify_authentication_details_cb(self);
}
