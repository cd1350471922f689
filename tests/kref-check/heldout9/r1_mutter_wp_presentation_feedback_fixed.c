/* SPDX-License-Identifier: MIT */
/*
 * mutter, fix 3d28e03a29b77d5bd76cf270f89af58056628c81
 * ("wayland: Take surface reference for presentation-time feedback"),
 * src/wayland/meta-wayland-presentation-time.c.
 * wp_presentation_feedback() keeps the surface in the new feedback object's
 * `surface` field without a reference; the feedback can outlive the
 * surface and is later presented through that pointer.
 */
#include <kref.h>
#include <stdint.h>
#include <stdlib.h>

struct wl_list {
	struct wl_list *prev;
	struct wl_list *next;
};

struct wl_client;
struct wl_resource;

/* wayland-util list helpers */
extern void wl_list_init (struct wl_list *list);
extern void wl_list_insert (struct wl_list *list, struct wl_list *elm);
extern void wl_list_remove (struct wl_list *elm);
/* wayland-server resource helpers */
extern void *wl_resource_get_user_data (struct wl_resource *resource);
extern struct wl_resource *wl_resource_create (struct wl_client *client,
                                               int version, uint32_t id);
extern void wl_resource_set_implementation (struct wl_resource *resource,
                                            const void *implementation,
                                            void *data,
                                            void (*destroy) (struct wl_resource *));
extern void wl_resource_destroy (struct wl_resource *resource);
extern void wl_client_post_no_memory (struct wl_client *client);

typedef struct _MetaWaylandSurfaceState
{
  struct wl_list presentation_feedback_list;
} MetaWaylandSurfaceState;

typedef struct _MetaWaylandSurface
{
  struct kref ref;
  struct wl_resource *resource;
  MetaWaylandSurfaceState *pending;
  int is_cursor;
} MetaWaylandSurface;

typedef struct _MetaWaylandPresentationFeedback
{
  struct wl_list link;
  struct wl_resource *resource;
  MetaWaylandSurface *surface;
} MetaWaylandPresentationFeedback;

/* sends wp_presentation_feedback.presented with the given timestamp */
extern void wp_presentation_feedback_send_presented (struct wl_resource *resource,
                                                     int64_t time_us,
                                                     uint32_t flags);

static void
meta_wayland_surface_finalize (struct kref *ref)
{
  MetaWaylandSurface *surface = container_of (ref, MetaWaylandSurface, ref);

  free (surface->pending);
  free (surface);
}

static void
meta_wayland_surface_unref (MetaWaylandSurface *surface)
{
  kref_put (&surface->ref, meta_wayland_surface_finalize);
}

/* wl_surface destroyed by the client: drop the resource's reference */
void
meta_wayland_surface_resource_destroyed (struct wl_resource *resource)
{
  MetaWaylandSurface *surface = wl_resource_get_user_data (resource);

  surface->resource = NULL;
  meta_wayland_surface_unref (surface);
}

static MetaWaylandSurfaceState *
meta_wayland_surface_get_pending_state (MetaWaylandSurface *surface)
{
  return surface->pending;
}

static void
wp_presentation_feedback_destructor (struct wl_resource *resource)
{
  MetaWaylandPresentationFeedback *feedback =
    wl_resource_get_user_data (resource);

  wl_list_remove (&feedback->link);
  if (feedback->surface)
    meta_wayland_surface_unref (feedback->surface);
  free (feedback);
}

static void
wp_presentation_feedback (struct wl_client   *client,
                          struct wl_resource *resource,
                          struct wl_resource *surface_resource,
                          uint32_t            callback_id)
{
  MetaWaylandSurface *surface = wl_resource_get_user_data (surface_resource);
  MetaWaylandSurfaceState *pending;
  MetaWaylandPresentationFeedback *feedback;

  feedback = calloc (1, sizeof (*feedback));
  if (feedback == NULL)
    {
      wl_client_post_no_memory (client);
      return;
    }
  wl_list_init (&feedback->link);
  feedback->resource = wl_resource_create (client, 1, callback_id);
  wl_resource_set_implementation (feedback->resource,
                                  NULL,
                                  feedback,
                                  wp_presentation_feedback_destructor);

  pending = meta_wayland_surface_get_pending_state (surface);
  wl_list_insert (&pending->presentation_feedback_list, &feedback->link);

  kref_get (&surface->ref);
  feedback->surface = surface;
}

void
meta_wayland_presentation_feedback_present (MetaWaylandPresentationFeedback *feedback,
                                            int64_t                          time_us)
{
  MetaWaylandSurface *surface = feedback->surface;
  uint32_t flags = 0;

  if (!surface->is_cursor)
    flags |= 1;

  wp_presentation_feedback_send_presented (feedback->resource, time_us, flags);
  wl_resource_destroy (feedback->resource);
}
