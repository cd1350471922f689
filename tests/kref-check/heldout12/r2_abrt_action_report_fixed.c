/* SPDX-License-Identifier: MIT */
/*
 * Project: abrt/abrt
 * Path: src/applet/applet.c
 * Fix: 65c24bb248b9b7b2e33e8b0ba9e3e06ffde4b291
 * Bug: the notification action callback action_report() dropped a
 * reference on its problem_info_t that belongs to the notification (which
 * drops it itself through the destroy notify given with the action), so
 * the object was put twice.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct problem_info {
	struct kref ref;
	char *dir;
	int count;
} problem_info_t;

struct notify_notification;
typedef void (*notify_action_cb)(struct notify_notification *n,
				 const char *action, void *user_data);

/* registers an action; the notification keeps user_data and calls
 * free_func on it when the notification is destroyed */
extern void notify_notification_add_action(struct notify_notification *n,
					    const char *action,
					    const char *label,
					    notify_action_cb cb,
					    void *user_data,
					    void (*free_func)(void *));
/* closes the notification bubble (does not destroy it) */
extern int notify_notification_close(struct notify_notification *n);
/* starts the reporting GUI on a problem directory */
extern void fork_exec_gui(const char *dir);
/* releases the problem data owned by a problem_info_t */
extern void problem_data_free(char *dir);

static void problem_info_release(struct kref *ref)
{
	problem_info_t *pi = container_of(ref, problem_info_t, ref);

	problem_data_free(pi->dir);
	free(pi);
}

problem_info_t *problem_info_new(char *dir)
{
	problem_info_t *pi = calloc(1, sizeof(*pi));

	if (!pi)
		return NULL;
	kref_init(&pi->ref);
	pi->dir = dir;
	pi->count = -1;
	return pi;
}

problem_info_t *problem_info_ref(problem_info_t *pi)
{
	kref_get(&pi->ref);
	return pi;
}

void problem_info_unref(void *data)
{
	problem_info_t *pi = data;

	if (pi == NULL)
		return;
	kref_put(&pi->ref, problem_info_release);
}

static const char *problem_info_get_dir(problem_info_t *pi)
{
	return pi->dir;
}

static void action_report(struct notify_notification *notification,
			  const char *action, void *user_data)
{
	problem_info_t *pi = user_data;

	(void)action;
	notify_notification_close(notification);

	if (problem_info_get_dir(pi))
		fork_exec_gui(problem_info_get_dir(pi));
}

void add_send_a_report_button(struct notify_notification *notification,
			      problem_info_t *pi)
{
	/* the notification owns this reference until it is destroyed */
	notify_notification_add_action(notification, "REPORT", "Report",
				       action_report, problem_info_ref(pi),
				       problem_info_unref);
}
