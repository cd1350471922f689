/* SPDX-License-Identifier: MIT */
/*
 * Project: asterisk/asterisk
 * Path: main/taskprocessor.c
 * Fix commit: fc4d4f53792b4867f963824868d1276b1120017f
 * Bug: ast_taskprocessor_unreference() drops a user reference without the
 * tps_singletons container lock and only then unlinks the taskprocessor,
 * so ast_taskprocessor_get() can find it and take a reference in between,
 * and gets a taskprocessor whose listener is being shut down.
 */
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <kref.h>

#define OBJ_KEY		(1 << 0)
#define OBJ_NOLOCK	(1 << 1)

struct ast_taskprocessor_listener;

struct ast_taskprocessor {
	/* users' references (the container's and the listener's are not
	 * counted here: the taskprocessor lives until both let go) */
	struct kref users;
	const char *name;
	struct ast_taskprocessor_listener *listener;
	struct ast_taskprocessor *next;		/* in tps_singletons */
};

struct ao2_container {
	pthread_mutex_t lock;
	struct ast_taskprocessor *head;
};

/*! \brief tps_singletons is the container for taskprocessor singletons */
static struct ao2_container *tps_singletons;

/* creates a taskprocessor with a default listener, links it into
 * tps_singletons and returns it with one user reference */
extern struct ast_taskprocessor *__allocate_taskprocessor(const char *name);
/* stops the listener; its thread drops the listener's reference, and the
 * taskprocessor is freed once the container and the listener let go */
extern void listener_shutdown(struct ast_taskprocessor_listener *listener);

#define ao2_lock(c)	pthread_mutex_lock(&(c)->lock)
#define ao2_unlock(c)	pthread_mutex_unlock(&(c)->lock)

static struct ast_taskprocessor *ao2_find(struct ao2_container *c, const char *name, int flags)
{
	struct ast_taskprocessor *p;

	(void)flags;
	ao2_lock(c);
	for (p = c->head; p; p = p->next) {
		if (!strcmp(p->name, name)) {
			kref_get(&p->users);
			break;
		}
	}
	ao2_unlock(c);
	return p;
}

static void ao2_unlink_flags(struct ao2_container *c, struct ast_taskprocessor *tps, int flags)
{
	struct ast_taskprocessor **pp;

	if (!(flags & OBJ_NOLOCK))
		ao2_lock(c);
	for (pp = &c->head; *pp; pp = &(*pp)->next) {
		if (*pp == tps) {
			*pp = tps->next;
			break;
		}
	}
	if (!(flags & OBJ_NOLOCK))
		ao2_unlock(c);
}

#define ao2_unlink(c, obj)	ao2_unlink_flags((c), (obj), 0)

/* the last user is gone: take the taskprocessor out of the container */
static void tps_users_gone(struct kref *users)
{
	struct ast_taskprocessor *tps = container_of(users, struct ast_taskprocessor, users);

	ao2_unlink_flags(tps_singletons, tps, OBJ_NOLOCK);
}

/* Provide a reference to a taskprocessor, creating it if necessary */
struct ast_taskprocessor *ast_taskprocessor_get(const char *name)
{
	struct ast_taskprocessor *p;

	if (!name || !*name)
		return NULL;
	p = ao2_find(tps_singletons, name, OBJ_KEY);
	if (p)
		return p;
	return __allocate_taskprocessor(name);
}

/* decrement the taskprocessor reference count and unlink from the container if necessary */
void *ast_taskprocessor_unreference(struct ast_taskprocessor *tps)
{
	struct ast_taskprocessor_listener *listener;

	if (!tps)
		return NULL;

	/* Keep the container locked across the decrement and the unlink, so
	 * that no lookup can pick up a taskprocessor whose listener is about
	 * to be shut down. */
	ao2_lock(tps_singletons);

	listener = tps->listener;
	if (!kref_put(&tps->users, tps_users_gone)) {
		ao2_unlock(tps_singletons);
		return NULL;
	}
	ao2_unlock(tps_singletons);

	/* only the container's and the listener's holds were left */
	listener_shutdown(listener);
	return NULL;
}
