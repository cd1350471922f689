/* SPDX-License-Identifier: MIT */
/*
 * Project: freeswitch/sofia-sip
 * Path:    libsofia-sip-ua/nua/nua.c (nua_handle_by_call_id)
 * Fix:     067046c9658263164d62df640eac69456e0351d2
 * Bug:     nua_handle_by_call_id() has the stack thread find the handle in
 *          its handle list, then takes the reference back in the
 *          application thread after the stack task has returned, racing
 *          nh_destroy() in the stack thread, which unlinks the handle and
 *          drops the stack's (last) reference.
 *
 * The su_home reference count of a nua handle is the kref.  Running a
 * function in the stack thread with su_task_execute() is what serializes it
 * with the stack's own list updates, like a lock.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct su_task_s *su_task_r;
typedef struct nua_s nua_t;
typedef struct nua_handle_s nua_handle_t;

struct nua_handle_s {
	struct kref	nh_ref;		/* su_home_ref() count */
	nua_handle_t	*nh_next;
	unsigned	nh_valid:1;
	unsigned	nh_destroyed:1;
	unsigned	nh_default:1;
};

struct nua_s {
	su_task_r	nua_server;	/* the stack thread */
	nua_handle_t	*nua_handles;	/* owned by the stack thread, one reference each */
};

#define NH_IS_DEFAULT(nh)	((nh)->nh_default)
#define NH_IS_VALID(nh)		((nh) && (nh)->nh_valid)

/* runs fn(arg) in the stack thread and waits for it to return; 0 on success */
extern int su_task_execute(su_task_r task, int (*fn)(void *), void *arg, int *return_value);
/* searches nua->nua_handles (stack thread only); returns a borrowed pointer */
extern nua_handle_t *nua_stack_handle_by_call_id(nua_t *nua, const char *call_id);
/* unlinks nh from nua->nua_handles (stack thread only) */
extern void nh_remove(nua_t *nua, nua_handle_t *nh);

static void nua_handle_free(struct kref *ref)
{
	nua_handle_t *nh = container_of(ref, nua_handle_t, nh_ref);

	free(nh);
}

nua_handle_t *nua_handle_ref(nua_handle_t *nh)
{
	kref_get(&nh->nh_ref);
	return nh;
}

void nua_handle_unref(nua_handle_t *nh)
{
	kref_put(&nh->nh_ref, nua_handle_free);
}

/* Stack thread: destroy a handle, dropping the stack's reference. */
void nh_destroy(nua_t *nua, nua_handle_t *nh)
{
	if (nh->nh_destroyed)
		return;
	nh->nh_destroyed = 1;
	nh->nh_valid = 0;
	nh_remove(nua, nh);
	nua_handle_unref(nh);		/* remove stack reference */
}

struct nua_stack_handle_by_call_id_args {
	nua_handle_t	*retval;
	nua_t		*nua;
	const char	*call_id;
};

static int nua_stack_handle_by_call_id_call(void *arg)
{
	struct nua_stack_handle_by_call_id_args *a = arg;

	a->retval = nua_stack_handle_by_call_id(a->nua, a->call_id);

	return 0;
}

/* Application thread: return a new reference to the handle, or NULL. */
nua_handle_t *nua_handle_by_call_id(nua_t *nua, const char *call_id)
{
	if (nua) {
		struct nua_stack_handle_by_call_id_args a = { NULL, nua, call_id };

		if (su_task_execute(nua->nua_server,
				    nua_stack_handle_by_call_id_call, (void *)&a,
				    NULL) == 0) {
			nua_handle_t *nh = a.retval;

			if (nh && !NH_IS_DEFAULT(nh) && nh->nh_valid)
				return nua_handle_ref(nh); /* expect: rule 3 */
		}
	}
	return NULL;
}
