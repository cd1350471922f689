/* SPDX-License-Identifier: MIT */
/*
 * evolution-data-server, fix 25f8db47c045e7256e0724c6e12770df11043d82
 * ("e_cal_backend_add_view(): Keep a reference on the view being added."),
 * calendar/libedata-cal/e-cal-backend.c.
 * e_cal_backend_add_view() appends the view to the backend's list of live
 * views without a reference, while e_cal_backend_remove_view() drops one
 * when it unlinks the view: the list keeps a pointer it does not own.
 */
#include <kref.h>
#include <pthread.h>
#include <stdlib.h>

struct EDataCalView {
	struct kref ref;
	char *sexp;
	int stopped;
};

struct view_link {
	struct EDataCalView *view;
	struct view_link *next;
};

struct ECalBackendPrivate {
	pthread_mutex_t views_mutex;
	struct view_link *views;
};

struct ECalBackend {
	struct ECalBackendPrivate *priv;
};

/* sends the object to the client listening on the view (D-Bus signal) */
extern void e_data_cal_view_notify_components_added_1 (struct EDataCalView *view,
                                                       const char *object);
/* duplicates a string; aborts on allocation failure */
extern char *g_strdup (const char *s);

static void
e_data_cal_view_finalize (struct kref *ref)
{
	struct EDataCalView *view = container_of (ref, struct EDataCalView, ref);

	free (view->sexp);
	free (view);
}

struct EDataCalView *
e_data_cal_view_new (const char *sexp)
{
	struct EDataCalView *view = calloc (1, sizeof (*view));

	if (view == NULL)
		return NULL;
	kref_init (&view->ref);
	view->sexp = g_strdup (sexp);
	return view;
}

void
e_data_cal_view_unref (struct EDataCalView *view)
{
	kref_put (&view->ref, e_data_cal_view_finalize);
}

void
e_cal_backend_add_view (struct ECalBackend *backend,
                        struct EDataCalView *view)
{
	struct view_link *link = malloc (sizeof (*link));

	if (link == NULL)
		return;

	pthread_mutex_lock (&backend->priv->views_mutex);

	link->view = view; /* expect: rule 1 */
	link->next = backend->priv->views;
	backend->priv->views = link;

	pthread_mutex_unlock (&backend->priv->views_mutex);
}

void
e_cal_backend_remove_view (struct ECalBackend *backend,
                           struct EDataCalView *view)
{
	struct view_link **pp, *link;

	pthread_mutex_lock (&backend->priv->views_mutex);

	for (pp = &backend->priv->views; (link = *pp) != NULL; pp = &link->next) {
		if (link->view == view) {
			*pp = link->next;
			e_data_cal_view_unref (view);
			free (link);
			break;
		}
	}

	pthread_mutex_unlock (&backend->priv->views_mutex);
}

void
e_cal_backend_notify_component_created (struct ECalBackend *backend,
                                        const char *object)
{
	struct view_link *link;

	pthread_mutex_lock (&backend->priv->views_mutex);
	for (link = backend->priv->views; link != NULL; link = link->next)
		if (!link->view->stopped)
			e_data_cal_view_notify_components_added_1 (link->view, object);
	pthread_mutex_unlock (&backend->priv->views_mutex);
}

/* the GetView operation: the D-Bus client owns the view it asked for */
struct EDataCalView *
data_cal_get_view (struct ECalBackend *backend,
                   const char *sexp)
{
	struct EDataCalView *view;

	view = e_data_cal_view_new (sexp);
	if (view == NULL)
		return NULL;

	e_cal_backend_add_view (backend, view);

	return view;
}

/* the client closed the view, or vanished from the bus */
void
data_cal_view_client_gone (struct EDataCalView *view)
{
	view->stopped = 1;
	e_data_cal_view_unref (view);
}
