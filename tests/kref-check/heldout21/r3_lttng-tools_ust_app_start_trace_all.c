/* SPDX-License-Identifier: MIT */
/*
 * Project: lttng/lttng-tools
 * Path: src/bin/lttng-sessiond/ust-app.cpp
 * Fix commit: 23c8a950c442e3d1a3ae347da365bbf838756d4f
 * Bug: ust_app_start_trace_all() walks the application hash table under RCU
 * only and works on each app without a reference, racing with the app's
 * final put, whose release unregisters and tears the app down.
 */
#include <kref.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct ltt_ust_session {
	bool active;
};

struct ust_app {
	struct kref ref;
	pid_t pid;
	int sock;
	int compatible;
};

/* RCU read-side section of liburcu */
extern void rcu_read_lock(void);
extern void rcu_read_unlock(void);
/* RCU walk of ust_app_ht (by pid): the app after prev (NULL: the first), borrowed */
extern struct ust_app *ust_app_ht_next(struct ust_app *prev);
/* removes the app from the hash tables and tears its app sessions down */
extern void ust_app_unregister(struct ust_app *app);
/* frees the app after an RCU grace period (call_rcu) */
extern void ust_app_destroy(struct ust_app *app);
/* finds or creates the app's session for usess and starts it */
extern void ust_app_global_update(struct ltt_ust_session *usess, struct ust_app *app);
/* clears the quiescent state of the session's channels */
extern int ust_app_clear_quiescent_session(struct ltt_ust_session *usess);

static void ust_app_release(struct kref *ref)
{
	struct ust_app *app = container_of(ref, struct ust_app, ref);

	ust_app_unregister(app);
	ust_app_destroy(app);
}

int ust_app_get(struct ust_app *app)
{
	return kref_get_unless_zero(&app->ref);
}

void ust_app_put(struct ust_app *app)
{
	if (!app)
		return;
	kref_put(&app->ref, ust_app_release);
}

/* Called with the session list lock and the UST session lock held. */
int ust_app_start_trace_all(struct ltt_ust_session *usess)
{
	struct ust_app *app;

	/* new applications are started by default from now on */
	usess->active = true;

	(void) ust_app_clear_quiescent_session(usess);

	rcu_read_lock();
	for (app = ust_app_ht_next(NULL); app; app = ust_app_ht_next(app)) {
		ust_app_global_update(usess, app); /* expect: rule 3 */
	}
	rcu_read_unlock();

	return 0;
}
