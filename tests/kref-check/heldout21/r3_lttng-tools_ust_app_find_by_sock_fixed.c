/* SPDX-License-Identifier: MIT */
/*
 * Project: lttng/lttng-tools
 * Path: src/bin/lttng-sessiond/ust-app.cpp, src/bin/lttng-sessiond/dispatch.cpp
 * Fix commit: 0fda54e34276f5a15fdbe1316f0fd2a5d69964cf
 * Bug: ust_app_find_by_sock() finds the application in an RCU hash table and
 * returns it without a reference, so update_ust_app() works on an app whose
 * last reference is being dropped by its unregistration.
 */
#include <kref.h>
#include <stddef.h>
#include <sys/types.h>

struct lttng_ht;
struct ltt_ust_session;

struct lttng_ht_node_ulong {
	unsigned long key;
	void *next;
};

struct ust_app {
	struct kref ref;
	int sock;
	pid_t pid;
	int compatible;
	struct lttng_ht_node_ulong sock_n;
	struct lttng_ht_node_ulong pid_n;
};

extern struct lttng_ht *ust_app_ht_by_sock;

/* RCU read-side section of liburcu */
extern void rcu_read_lock(void);
extern void rcu_read_unlock(void);
/* RCU hash table lookup: returns the node for key or NULL, takes no reference */
extern struct lttng_ht_node_ulong *lttng_ht_lookup_ulong(struct lttng_ht *ht,
							 unsigned long key);
/* removes the app from the hash tables and tears its sessions down */
extern void ust_app_unregister(struct ust_app *app);
/* frees the app after an RCU grace period (call_rcu) */
extern void ust_app_destroy(struct ust_app *app);
/* creates the app's event notifier rules; needs the app alive */
extern void ust_app_global_update_event_notifier_rules(struct ust_app *app);
/* creates the app's session and channels for usess; needs the app alive */
extern void ust_app_global_update(struct ltt_ust_session *usess, struct ust_app *app);
/* returns the next active UST session of the session list, or NULL */
extern struct ltt_ust_session *next_active_ust_session(struct ltt_ust_session *prev);

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

/* RCU read side lock must be held by the caller; returns a reference. */
struct ust_app *ust_app_find_by_sock(int sock)
{
	struct lttng_ht_node_ulong *node;
	struct ust_app *app;

	node = lttng_ht_lookup_ulong(ust_app_ht_by_sock, (unsigned long)sock);
	if (node == NULL)
		return NULL;

	app = container_of(node, struct ust_app, sock_n);
	/* the app may be going away: only return it with a reference */
	return ust_app_get(app) ? app : NULL;
}

void update_ust_app(int app_sock)
{
	struct ust_app *app;
	struct ltt_ust_session *usess;

	rcu_read_lock();
	app = ust_app_find_by_sock(app_sock);
	if (app == NULL) {
		/* unregistered in the meantime */
		rcu_read_unlock();
		return;
	}

	ust_app_global_update_event_notifier_rules(app);

	for (usess = next_active_ust_session(NULL); usess;
	     usess = next_active_ust_session(usess))
		ust_app_global_update(usess, app);

	ust_app_put(app);
	rcu_read_unlock();
}
