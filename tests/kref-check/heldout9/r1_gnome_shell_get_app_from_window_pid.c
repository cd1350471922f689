/* SPDX-License-Identifier: MIT */
/*
 * gnome-shell, fix 5683bb9b8efbc5bc05c50984fcc817b5ddbec3a6
 * ("ShellWindowTracker: fix a reference counting bug"),
 * src/shell-window-tracker.c.
 * get_app_from_window_pid() returns the app found in the tracker's
 * launched_pid_to_app table without a reference, and get_app_for_window()
 * hands it on as a new reference, which the window_to_app table adopts
 * and later drops.
 */
#include <kref.h>
#include <stdlib.h>

typedef struct _MetaWindow MetaWindow;

typedef struct _ShellApp {
  struct kref ref;
  char *id;
} ShellApp;

struct pid_entry {
  int pid;
  ShellApp *app;		/* owned */
  struct pid_entry *next;
};

struct window_entry {
  MetaWindow *window;
  ShellApp *app;		/* owned */
  struct window_entry *next;
};

typedef struct _ShellWindowTracker {
  struct pid_entry *launched_pid_to_app;
  struct window_entry *window_to_app;
} ShellWindowTracker;

/* window properties, from libmutter */
extern int meta_window_is_remote (MetaWindow *window);
extern int meta_window_get_pid (MetaWindow *window);
/* (transfer full): a newly-referenced ShellApp matching WM_CLASS, or NULL */
extern ShellApp *get_app_from_window_wmclass (MetaWindow *window);
/* (transfer full): a new ShellApp made up for the window */
extern ShellApp *shell_app_system_get_app_for_window (MetaWindow *window);

static void
shell_app_finalize (struct kref *ref)
{
  ShellApp *app = container_of (ref, ShellApp, ref);

  free (app->id);
  free (app);
}

static void
shell_app_unref (ShellApp *app)
{
  kref_put (&app->ref, shell_app_finalize);
}

static ShellApp *
get_app_from_window_pid (ShellWindowTracker *tracker,
                         MetaWindow         *window)
{
  struct pid_entry *e;
  int pid;

  if (meta_window_is_remote (window))
    return NULL;

  pid = meta_window_get_pid (window);

  if (pid == -1)
    return NULL;

  for (e = tracker->launched_pid_to_app; e != NULL; e = e->next)
    if (e->pid == pid)
      return e->app; /* expect: rule 1 */

  return NULL;
}

/*
 * get_app_for_window:
 *
 * Returns: (transfer full): the window's app, or NULL
 */
static ShellApp *
get_app_for_window (ShellWindowTracker *tracker,
                    MetaWindow         *window)
{
  ShellApp *result;

  result = get_app_from_window_pid (tracker, window);
  if (result != NULL)
    return result;

  result = get_app_from_window_wmclass (window);
  if (result != NULL)
    return result;

  return shell_app_system_get_app_for_window (window);
}

static void
track_window (ShellWindowTracker *tracker,
              MetaWindow         *window)
{
  struct window_entry *e;
  ShellApp *app;

  app = get_app_for_window (tracker, window);
  if (!app)
    return;

  e = malloc (sizeof (*e));
  if (!e)
    {
      shell_app_unref (app);
      return;
    }
  /* The table owns the reference from get_app_for_window */
  e->window = window;
  e->app = app;
  e->next = tracker->window_to_app;
  tracker->window_to_app = e;
}

static void
disassociate_window (ShellWindowTracker *tracker,
                     MetaWindow         *window)
{
  struct window_entry **pp, *e;

  for (pp = &tracker->window_to_app; (e = *pp) != NULL; pp = &e->next)
    if (e->window == window)
      {
        *pp = e->next;
        shell_app_unref (e->app);
        free (e);
        return;
      }
}

/* the launched process exited: forget its pid */
static void
on_child_exited (ShellWindowTracker *tracker,
                 int                 pid)
{
  struct pid_entry **pp, *e;

  for (pp = &tracker->launched_pid_to_app; (e = *pp) != NULL; pp = &e->next)
    if (e->pid == pid)
      {
        *pp = e->next;
        shell_app_unref (e->app);
        free (e);
        return;
      }
}

void
shell_window_tracker_window_added (ShellWindowTracker *tracker,
                                   MetaWindow         *window)
{
  track_window (tracker, window);
}

void
shell_window_tracker_window_removed (ShellWindowTracker *tracker,
                                     MetaWindow         *window)
{
  disassociate_window (tracker, window);
}

void
shell_window_tracker_child_exited (ShellWindowTracker *tracker,
                                   int                 pid)
{
  on_child_exited (tracker, pid);
}
