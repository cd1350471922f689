/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (not a copy) of a refcount bug fixed in GLib.
 *
 * Repository: GNOME/glib
 * Commit:     aede77464259e6d50e724113c16f301367201a72
 * Title:      "signals: Ensure we ref handler in emission fast path"
 * Path:       gobject/gsignal.c
 * Function:   g_signal_emit_valist() (the single-handler fast path)
 *
 * Signal handlers live in per-instance handler lists guarded by the
 * global SIGNAL_LOCK; each Handler is counted (handler_ref /
 * handler_unref_R, both under SIGNAL_LOCK) and its last unref unlinks it
 * and drops its closure.  The slow emission path refs each handler before
 * dropping the lock to invoke it.  The fast path, taken when exactly one
 * handler is connected, walked the list under SIGNAL_LOCK, picked the
 * handler's closure, dropped the lock and invoked the closure with no
 * reference on the handler: a g_signal_handler_disconnect() from another
 * thread could drop the handler's last reference and destroy the closure
 * while it was being invoked.  Fixed by handler_ref(fastpath_handler)
 * before SIGNAL_UNLOCK and handler_unref_R() after the invocation, under
 * the lock again.
 *
 * The Handler's ref_count is modelled with a struct kref, SIGNAL_LOCK with
 * a pthread mutex; the handler-list bookkeeping is reduced to a singly
 * linked list.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <kref.h>

typedef struct _GClosure GClosure;

typedef struct _Handler Handler;
struct _Handler {
	unsigned long sequential_number;
	Handler *next;
	struct kref ref_count;
	unsigned block_count;
	unsigned detail;
	GClosure *closure;	/* owned, dropped by the last unref */
};

typedef struct {
	unsigned signal_id;
	Handler *handlers;
} HandlerList;

static pthread_mutex_t g_signal_mutex = PTHREAD_MUTEX_INITIALIZER;
#define SIGNAL_LOCK()	pthread_mutex_lock(&g_signal_mutex)
#define SIGNAL_UNLOCK()	pthread_mutex_unlock(&g_signal_mutex)

/* the instance's handler list for signal_id, or NULL; SIGNAL_LOCK held */
extern HandlerList *handler_list_lookup(unsigned signal_id, void *instance);
/* the handler with this id, or NULL; SIGNAL_LOCK held */
extern Handler *handler_lookup(void *instance, unsigned long handler_id,
			       unsigned *signal_id_p);
extern void handler_list_unlink(Handler *handler);
extern void g_closure_unref(GClosure *closure);
extern void _g_closure_invoke_va(GClosure *closure, void *return_value,
				 void *instance, void *args);

/* SIGNAL_LOCK held */
static void handler_free(struct kref *kref)
{
	Handler *handler = container_of(kref, Handler, ref_count);

	handler_list_unlink(handler);
	g_closure_unref(handler->closure);
	free(handler);
}

static void handler_ref(Handler *handler)
{
	kref_get(&handler->ref_count);
}

/* SIGNAL_LOCK held */
static void handler_unref_R(Handler *handler)
{
	kref_put(&handler->ref_count, handler_free);
}

void g_signal_emit_valist(void *instance, unsigned signal_id,
			  unsigned detail, void *var_args)
{
	HandlerList *hlist;
	Handler *fastpath_handler = NULL;
	Handler *l;
	GClosure *closure = NULL;

	SIGNAL_LOCK();
	hlist = handler_list_lookup(signal_id, instance);
	for (l = hlist ? hlist->handlers : NULL; l != NULL; l = l->next) {
		if (!l->block_count && (!l->detail || l->detail == detail)) {
			fastpath_handler = l;
			closure = l->closure;
			break;
		}
	}
	if (fastpath_handler)
		handler_ref(fastpath_handler);
	SIGNAL_UNLOCK();

	if (closure != NULL)
		_g_closure_invoke_va(closure, NULL, instance, var_args);

	SIGNAL_LOCK();
	/* emission_pop() */
	if (fastpath_handler)
		handler_unref_R(fastpath_handler);
	SIGNAL_UNLOCK();
}

void g_signal_handler_disconnect(void *instance, unsigned long handler_id)
{
	Handler *handler;
	unsigned signal_id;

	SIGNAL_LOCK();
	handler = handler_lookup(instance, handler_id, &signal_id);
	if (handler) {
		handler->sequential_number = 0;
		handler->block_count = 1;
		handler_unref_R(handler);
	}
	SIGNAL_UNLOCK();
}

/* the slow path: every handler is pinned before the lock is dropped */
void signal_emit_unlocked_R(Handler *handler, void *instance, void *args)
{
	handler_ref(handler);
	SIGNAL_UNLOCK();
	_g_closure_invoke_va(handler->closure, NULL, instance, args);
	SIGNAL_LOCK();
	handler_unref_R(handler);
}
