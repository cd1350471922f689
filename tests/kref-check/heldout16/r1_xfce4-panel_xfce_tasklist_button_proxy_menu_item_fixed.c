/* SPDX-License-Identifier: MIT */
/*
 * Project: xfce-mirror/xfce4-panel
 * Path: plugins/tasklist/tasklist-widget.c
 * Fix commit: aa928ba50e9e7a7387b7bf14a4bfda3ce1735d58
 * Bug: xfce_tasklist_button_proxy_menu_item() connects an enter-notify
 * handler whose destroy notify uses child->window, but takes no reference on
 * the window, so a window closed before the menu item dies is used after
 * free (bug #7193).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

typedef void *gpointer;
typedef struct _GClosure GClosure;
typedef void (*GClosureNotify)(gpointer data, GClosure *closure);
typedef void (*GCallback)(void);

typedef struct _GtkWidget GtkWidget;

typedef struct _WnckWindow
{
  struct kref ref_count;	/* the GObject refcount */
  char *name;
} WnckWindow;

typedef struct _XfceTasklist XfceTasklist;

typedef struct _XfceTasklistChild
{
  XfceTasklist *tasklist;
  GtkWidget *button;
  GtkWidget *label;
  WnckWindow *window;	/* borrowed from libwnck's screen */
} XfceTasklistChild;

/* creates a menu item proxying the child's label and icon */
extern GtkWidget *xfce_tasklist_proxy_menu_item_new(XfceTasklistChild *child);
/* connects handler to the signal; notify(data) runs when the handler is disconnected */
extern unsigned long g_signal_connect_data(gpointer instance, const char *signal,
                                           GCallback handler, gpointer data,
                                           GClosureNotify notify, int flags);
/* connects handler to the signal */
extern unsigned long g_signal_connect(gpointer instance, const char *signal,
                                      GCallback handler, gpointer data);
/* disconnects the handlers of instance that call func with data */
extern unsigned int g_signal_handlers_disconnect_by_func(gpointer instance,
                                                         gpointer func, gpointer data);
/* shows the wireframe of the window */
extern void xfce_tasklist_button_enter_notify_event(void);
/* pops up the window action menu */
extern void xfce_tasklist_button_button_press_event(void);
/* geometry watch of the wireframe */
extern void xfce_tasklist_button_geometry_changed(void);

static void
wnck_window_finalize(struct kref *ref)
{
  WnckWindow *window = container_of(ref, WnckWindow, ref_count);

  free(window->name);
  free(window);
}

static WnckWindow *
g_object_ref(WnckWindow *window)
{
  kref_get(&window->ref_count);
  return window;
}

static void
g_object_unref(WnckWindow *window)
{
  kref_put(&window->ref_count, wnck_window_finalize);
}

static void
xfce_tasklist_button_enter_notify_event_disconnected(gpointer data,
                                                     GClosure *closure)
{
  XfceTasklistChild *child = data;

  /* the geometry watch is connected to the window we proxy, so it is not
   * disconnected when the proxy dies */
  g_signal_handlers_disconnect_by_func(child->window,
                                       (gpointer) xfce_tasklist_button_geometry_changed,
                                       child);

  g_object_unref(child->window);
}

GtkWidget *
xfce_tasklist_button_proxy_menu_item(XfceTasklistChild *child,
                                     bool allow_wireframe)
{
  GtkWidget *mi;

  if (child->window == NULL)
    return NULL;

  mi = xfce_tasklist_proxy_menu_item_new(child);

  if (allow_wireframe)
    {
      g_object_ref(child->window);
      g_signal_connect_data(mi, "enter-notify-event",
                            xfce_tasklist_button_enter_notify_event, child,
                            xfce_tasklist_button_enter_notify_event_disconnected, 0);
    }

  g_signal_connect(mi, "button-press-event",
                   xfce_tasklist_button_button_press_event, child);

  return mi;
}

/* libwnck drops its reference when the window closes */
void
xfce_tasklist_window_closed(WnckWindow *window)
{
  g_object_unref(window);
}
