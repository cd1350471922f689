/* SPDX-License-Identifier: MIT */
/*
 * Project: open-mpi/ompi
 * Path:    ompi/mca/coll/ftagree/coll_ftagree_earlyreturning.c
 * Fix:     a4e22d7c7050008cdbbf845bb892425e87849428
 * Bug:     when era_mark_process_failed() is re-entered it bounces the work
 *          to a timer event that carries the agreement info pointer, but it
 *          takes no reference on the agreement info for that event, so the
 *          agreement can be released before the event callback uses it.
 */
#include <kref.h>
#include <stdlib.h>
#include <sys/time.h>

typedef struct opal_mutex { int locked; } opal_mutex_t;
typedef struct opal_event { void *priv; } opal_event_t;
typedef struct opal_event_base opal_event_base_t;
typedef void *(*opal_event_cbfunc_t)(int fd, int flags, void *context);

/* returns non-zero when the mutex could not be taken (already held) */
extern int opal_mutex_trylock(opal_mutex_t *m);
extern void opal_mutex_unlock(opal_mutex_t *m);
/* arms a timer event that will call cb(.., arg) from the progress engine */
extern void opal_event_evtimer_set(opal_event_base_t *base, opal_event_t *ev,
				   opal_event_cbfunc_t cb, void *arg);
/* queues the event; it fires later, on a following opal_progress() */
extern int opal_event_add(opal_event_t *ev, const struct timeval *tv);
extern opal_event_base_t *opal_sync_event_base;

enum { NOT_CONTRIBUTED, GATHERING, BROADCASTING, COMPLETED };

typedef struct ompi_coll_ftagree_era_agreement_info {
	struct kref ref;		/* OBJ_RETAIN / OBJ_RELEASE */
	int status;
	int waiting_down_from;
	int ret;
} ompi_coll_ftagree_era_agreement_info_t;

static opal_mutex_t era_mutex;

static void era_agreement_info_release(struct kref *ref)
{
	ompi_coll_ftagree_era_agreement_info_t *ci =
		container_of(ref, ompi_coll_ftagree_era_agreement_info_t, ref);

	free(ci);
}

/* restarts the agreement with a new parent; does not keep ci */
extern void restart_agreement_from_me(ompi_coll_ftagree_era_agreement_info_t *ci);

/* helper to bounce recursive errors back to the main thread's opal_progress */
typedef struct era_error_event_s {
	opal_event_t ev;
	ompi_coll_ftagree_era_agreement_info_t *ci;
	int rank;
} era_error_event_t;

static void era_mark_process_failed(ompi_coll_ftagree_era_agreement_info_t *ci,
				    int rank);

static void *era_error_event_cb(int fd, int flags, void *context)
{
	era_error_event_t *event = context;
	int r = event->rank;
	ompi_coll_ftagree_era_agreement_info_t *ci = event->ci;

	(void)fd;
	(void)flags;
	free(event);
	era_mark_process_failed(ci, r);
	kref_put(&ci->ref, era_agreement_info_release);
	return NULL;
}

static void era_mark_process_failed(ompi_coll_ftagree_era_agreement_info_t *ci,
				    int rank)
{
	if (opal_mutex_trylock(&era_mutex)) {
		/* Don't do recursive notifications */
		struct timeval now = { 0, 0 };
		era_error_event_t *event = malloc(sizeof(*event));

		if (event == NULL)
			return;
		event->ci = ci;
		event->rank = rank;
		opal_event_evtimer_set(opal_sync_event_base, &event->ev,
				       era_error_event_cb, event);
		opal_event_add(&event->ev, &now);
		kref_get(&ci->ref);
		return;
	}

	if (ci->status > NOT_CONTRIBUTED)
		ci->ret = -1;	/* MPI_ERR_PROC_FAILED */
	if (ci->status == BROADCASTING && rank == ci->waiting_down_from)
		restart_agreement_from_me(ci);

	opal_mutex_unlock(&era_mutex);
}

/* the agreement is decided: the owner drops the agreement's reference */
void era_agreement_completed(ompi_coll_ftagree_era_agreement_info_t *ci)
{
	ci->status = COMPLETED;
	kref_put(&ci->ref, era_agreement_info_release);
}

/* a failure detector reports a dead process for an ongoing agreement */
void era_process_failed_notify(ompi_coll_ftagree_era_agreement_info_t *ci,
			       int rank)
{
	era_mark_process_failed(ci, rank);
}
