/* SPDX-License-Identifier: MIT */
/*
 * Project: pjsip/pjproject
 * Path: pjsip/src/pjsua-lib/pjsua_acc.c
 * Fix commit: 6741c75da7d44864f6daa952eff8596ba5ca767d (svn r6160, re #2264)
 * Bug: pjsua_acc_set_registration() references acc->regc under the PJSUA
 * lock and releases the lock to send, but then reads acc->regc again for the
 * send and for the dec_ref instead of using the instance it referenced; in
 * between another thread can destroy the account's regc (dropping the
 * account's reference) and clear or replace the field.
 */
#include <pthread.h>
#include <stddef.h>
#include <kref.h>

#define PJ_SUCCESS	0
#define PJ_EINVALIDOP	70013
#define PJ_EGONE	70023

typedef int pj_status_t;
typedef int pj_bool_t;
typedef struct pjsip_tx_data pjsip_tx_data;

typedef struct pjsip_regc {
	struct kref busy_ref;	/* the owner's reference plus busy users */
} pjsip_regc;

typedef struct pjsua_acc {
	pjsip_regc *regc;	/* counted: the account's reference */
	int valid;
} pjsua_acc;

static struct {
	pthread_mutex_t mutex;
	pjsua_acc acc[8];
} pjsua_var;

#define PJSUA_LOCK()	pthread_mutex_lock(&pjsua_var.mutex)
#define PJSUA_UNLOCK()	pthread_mutex_unlock(&pjsua_var.mutex)

/* creates acc->regc (holding the account's reference) */
extern pj_status_t pjsua_regc_init(int acc_id);
/* builds a REGISTER (or un-REGISTER) request; takes no reference */
extern pj_status_t pjsip_regc_build(pjsip_regc *regc, pj_bool_t renew,
				    pjsip_tx_data **p_tdata);
/* sends the request through the regc; takes no reference */
extern pj_status_t pjsip_regc_send(pjsip_regc *regc, pjsip_tx_data *tdata);
/* frees the regc's pool and timers */
extern void pjsip_regc_free(pjsip_regc *regc);

static void regc_release(struct kref *ref)
{
	pjsip_regc_free(container_of(ref, pjsip_regc, busy_ref));
}

void pjsip_regc_add_ref(pjsip_regc *regc)
{
	kref_get(&regc->busy_ref);
}

pj_status_t pjsip_regc_dec_ref(pjsip_regc *regc)
{
	if (kref_put(&regc->busy_ref, regc_release))
		return PJ_EGONE;
	return PJ_SUCCESS;
}

/* account deleted or reconfigured: drop the account's regc */
void pjsua_acc_reset_regc(int acc_id)
{
	pjsip_regc *regc;

	PJSUA_LOCK();
	regc = pjsua_var.acc[acc_id].regc;
	pjsua_var.acc[acc_id].regc = NULL;
	if (regc)
		pjsip_regc_dec_ref(regc);	/* pjsip_regc_destroy() */
	PJSUA_UNLOCK();
}

pj_status_t pjsua_acc_set_registration(int acc_id, pj_bool_t renew)
{
	pj_status_t status;
	pjsip_tx_data *tdata = NULL;

	PJSUA_LOCK();

	if (renew && pjsua_var.acc[acc_id].regc == NULL) {
		status = pjsua_regc_init(acc_id);
		if (status != PJ_SUCCESS)
			goto on_return;
	}
	if (pjsua_var.acc[acc_id].regc == NULL) {
		status = PJ_EINVALIDOP;
		goto on_return;
	}

	status = pjsip_regc_build(pjsua_var.acc[acc_id].regc, renew, &tdata);

	if (status == PJ_SUCCESS) {
		/* Increment ref counter and release PJSUA lock here, to avoid
		 * deadlock while making sure that regc won't be destroyed.
		 */
		pjsip_regc_add_ref(pjsua_var.acc[acc_id].regc);
		PJSUA_UNLOCK();

		status = pjsip_regc_send(pjsua_var.acc[acc_id].regc, tdata); /* expect: rule 3 */

		PJSUA_LOCK();
		if (pjsip_regc_dec_ref(pjsua_var.acc[acc_id].regc) == PJ_EGONE) { /* expect: rule 3 */
			/* regc has been deleted. */
			goto on_return;
		}
	}

on_return:
	PJSUA_UNLOCK();
	return status;
}
