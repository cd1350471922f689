/* SPDX-License-Identifier: MIT */
/*
 * Project: kamailio/kamailio
 * Path: src/modules/dialog/dlg_handlers.c
 * Fix: 1b723b4d3ec6df6cf721a3794998c7d2fcab9582
 * Bug: dlg_ontimeout() drops the timer's reference (and, for a deleted
 * dialog, the hash table's) and only then reads dlg->iflags and passes dlg
 * to the DMQ replication, using the dialog after its last reference is gone.
 */
#include <kref.h>
#include <time.h>

#define DLG_FLAG_EXPIRED	(1 << 0)
#define DLG_IFLAG_DMQ_SYNC	(1 << 1)

#define DLG_STATE_CONFIRMED	4
#define DLG_STATE_DELETED	5
#define DLG_EVENT_REQBYE	7
#define DLGCB_EXPIRED		(1 << 3)
#define DLG_DMQ_STATE		2

/* timer list entry embedded in the dialog */
struct dlg_tl {
	struct dlg_tl *next, *prev;
	unsigned int timeout;
};

typedef struct dlg_cell {
	struct kref ref;
	unsigned int dflags;
	unsigned int iflags;
	int state;
	unsigned int end_ts;
	struct dlg_tl tl;
} dlg_cell_t;

extern int dlg_enable_dmq;
extern unsigned long expired_dlgs, active_dlgs;

/* unlinks the dialog from the hash table and frees it */
extern void destroy_dlg(struct dlg_cell *dlg);
/* applies event to the dialog's state machine; *unref is how many
 * references the transition released (the hash table's one when the
 * dialog goes to DELETED), for the caller to drop */
extern void next_state_dlg(struct dlg_cell *dlg, int event, int *old_state,
			   int *new_state, int *unref);
/* runs the registered callbacks of type on the dialog; takes no reference */
extern void run_dlg_callbacks(int type, struct dlg_cell *dlg, void *req,
			      void *rpl, unsigned int dir, void *dlg_data);
/* sends the dialog's state to the other DMQ nodes; takes no reference */
extern int dlg_dmq_replicate_action(int action, struct dlg_cell *dlg,
				    int needlock, int node);

static void dlg_release_cell(struct kref *ref)
{
	destroy_dlg(container_of(ref, struct dlg_cell, ref));
}

/* drops cnt references to the dialog */
static void dlg_unref(struct dlg_cell *dlg, unsigned int cnt)
{
	while (cnt-- > 0)
		kref_put(&dlg->ref, dlg_release_cell);
}

/*
 * Timer callback: the dialog timer holds one reference to the dialog,
 * which this function consumes.
 */
void dlg_ontimeout(struct dlg_tl *tl)
{
	dlg_cell_t *dlg;
	int new_state, old_state, unref;

	dlg = container_of(tl, struct dlg_cell, tl);

	/* mark dialog as expired */
	dlg->dflags |= DLG_FLAG_EXPIRED;

	next_state_dlg(dlg, DLG_EVENT_REQBYE, &old_state, &new_state, &unref);

	if (new_state == DLG_STATE_DELETED && old_state != DLG_STATE_DELETED) {
		dlg->end_ts = (unsigned int)time(NULL);
		run_dlg_callbacks(DLGCB_EXPIRED, dlg, NULL, NULL, 0, NULL);

		/* the state machine's references and the timer's */
		dlg_unref(dlg, unref + 1);

		expired_dlgs++;
		active_dlgs--;
	} else {
		dlg_unref(dlg, 1);
	}

	if (dlg_enable_dmq && (dlg->iflags & DLG_IFLAG_DMQ_SYNC) /* expect: rule 2 */
			&& new_state > old_state) {
		dlg_dmq_replicate_action(DLG_DMQ_STATE, dlg, 0, 0);
	}
}
