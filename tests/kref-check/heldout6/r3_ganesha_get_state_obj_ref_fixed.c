/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: nfs-ganesha/nfs-ganesha commit
 * 6ad67d3c898e2b68a081767432e9715311be2080 "Ensure get_state_obj_ref()
 * locks", src/include/sal_functions.h get_state_obj_ref(), its callers
 * (here delegrevoke_check() in src/FSAL_UP/fsal_up_top.c) and
 * _state_del_locked() in src/SAL/nfs4_state.c.  A state holds a reference
 * on the object it belongs to in state->state_obj; _state_del_locked()
 * drops that reference and clears the field under state->state_mutex.
 * get_state_obj_ref() read state->state_obj and took its reference with
 * no lock, so an upcall thread can get the object after the deleting
 * thread put the state's reference, possibly the last one.  The fix makes
 * get_state_obj_ref() take state_mutex around the read and the get (the
 * old body becomes get_state_obj_ref_locked(), for callers already holding
 * it).  The object handle's refcount is written with a kref.
 */
#include <stdlib.h>
#include <stdbool.h>
#include <pthread.h>
#include <kref.h>

struct fsal_obj_handle { struct kref refcount; };

typedef struct state_t {
	pthread_mutex_t state_mutex;
	struct fsal_obj_handle *state_obj;	/* holds a reference */
	struct kref state_refcount;
} state_t;

struct delegrecall_context { char drc_stateid_other[12]; };

/* Hash lookup of the state by stateid, with a state reference for the caller; NULL if gone. */
extern state_t *nfs4_State_Get_Pointer(const char *other);
/* Drops a state reference. */
extern void dec_state_t_ref(state_t *state);
/* True if the delegation held by state must be revoked. */
extern bool eval_deleg_revoke(state_t *state);
/* Revokes the delegation on obj. */
extern void deleg_revoke(struct fsal_obj_handle *obj, state_t *state);
/* Closes obj's open state (close2). */
extern void fsal_close2(struct fsal_obj_handle *obj, state_t *state);

static void mdcache_obj_free(struct kref *ref)
{
	free(container_of(ref, struct fsal_obj_handle, refcount));
}

static inline void obj_put_ref(struct fsal_obj_handle *obj)
{
	kref_put(&obj->refcount, mdcache_obj_free);
}

/* state_mutex MUST be held */
static inline struct fsal_obj_handle *get_state_obj_ref_locked(state_t *state)
{
	if (state->state_obj)
		kref_get(&state->state_obj->refcount);

	return state->state_obj;
}

/* Takes state_mutex, so it should not be held. */
static inline struct fsal_obj_handle *get_state_obj_ref(state_t *state)
{
	struct fsal_obj_handle *obj;

	pthread_mutex_lock(&state->state_mutex);
	obj = get_state_obj_ref_locked(state);
	pthread_mutex_unlock(&state->state_mutex);

	return obj;
}

/* The state is going away: drop its reference on the object. */
void _state_del_locked(state_t *state)
{
	struct fsal_obj_handle *obj;

	pthread_mutex_lock(&state->state_mutex);
	obj = get_state_obj_ref_locked(state);
	if (obj == NULL) {
		pthread_mutex_unlock(&state->state_mutex);
		return;
	}
	obj_put_ref(obj);
	state->state_obj = NULL;
	pthread_mutex_unlock(&state->state_mutex);

	fsal_close2(obj, state);
	obj_put_ref(obj);
}

/* Upcall thread: check whether a recalled delegation must be revoked. */
void delegrevoke_check(void *ctx)
{
	struct delegrecall_context *deleg_ctx = ctx;
	struct fsal_obj_handle *obj = NULL;
	state_t *state;

	state = nfs4_State_Get_Pointer(deleg_ctx->drc_stateid_other);
	if (state == NULL)
		return;	/* "Delegation is already returned" */

	obj = get_state_obj_ref(state);
	if (obj == NULL)
		goto out;	/* "Stale file" */

	if (eval_deleg_revoke(state))
		deleg_revoke(obj, state);
out:
	if (obj)
		obj_put_ref(obj);
	dec_state_t_ref(state);
}
