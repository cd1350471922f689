/* SPDX-License-Identifier: MIT */
/*
 * Project:    sippy/rtpproxy
 * Path:       modules/dtls_gw/rtpp_dtls_conn.c
 * Fix commit: 4ee7316a264f22f6d5d51c07f8ce850b174a6ef9
 * Bug:        check_timer() schedules the DTLS retransmit timer with the
 *             connection (pvt) as the callback argument but hands the timer
 *             only the stream's refcounter, so the rtpp_dtls_conn can be
 *             freed before rtpp_dtls_conn_timeout() runs.
 */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

#define CB_LAST	1

struct rtpp_timed_task;
struct rtpp_timed;
struct ssl_st;

struct rtpp_stream {
	struct kref rcnt;
};

struct rtpp_dtls_conn_priv {
	struct kref rcnt;		/* pvt->pub.rcnt */
	pthread_mutex_t state_lock;
	struct ssl_st *ssl_ctx;
	struct rtpp_stream *dtls_strmp;
	struct rtpp_timed *timed_cf;
	struct rtpp_timed_task *ttp;
};

/* a group of references dropped together when the proxy is released */
struct rtpp_refproxy {
	struct kref rcnt;
	int n, max;
	struct { struct kref *rc; void (*rel)(struct kref *); } refs[];
};

/* the module's own refcounter (RTPP_MOD_SELF.module_rcnt) */
extern struct kref *module_rcnt;
/* releases the module when its last reference goes */
extern void rtpp_module_release(struct kref *rc);
/* releases a stream when its last reference goes */
extern void rtpp_stream_release(struct kref *rc);
/* frees an rtpp_dtls_conn when its last reference goes */
extern void rtpp_dtls_conn_dtor(struct kref *rc);
/* arms a one-shot timer calling cb(dtime, arg) after 'to' seconds; the task
 * takes its own reference on rc (put with rc_rel once it has run or been
 * cancelled) and returns the task with one reference for the caller */
extern struct rtpp_timed_task *rtpp_timed_schedule_rc(struct rtpp_timed *timed_cf,
    double to, struct kref *rc, void (*rc_rel)(struct kref *),
    int (*cb)(double, void *), void *arg);
/* cancels a pending task */
extern void rtpp_timed_task_cancel(struct rtpp_timed_task *ttp);
/* drops a reference on a task */
extern void rtpp_timed_task_decref(struct rtpp_timed_task *ttp);
/* DTLSv1_get_timeout(): 1 and *to set if a retransmit timer is needed */
extern int dtls_get_timeout(struct ssl_st *ssl, double *to);

static void rtpp_refproxy_release(struct kref *rc)
{
	struct rtpp_refproxy *rp = container_of(rc, struct rtpp_refproxy, rcnt);

	for (int i = 0; i < rp->n; i++)
		kref_put(rp->refs[i].rc, rp->refs[i].rel);
	free(rp);
}

struct rtpp_refproxy *rtpp_refproxy_ctor(int max)
{
	struct rtpp_refproxy *rp = calloc(1, sizeof(*rp) + max * sizeof(rp->refs[0]));

	if (rp == NULL)
		return NULL;
	kref_init(&rp->rcnt);
	rp->max = max;
	return rp;
}

void rtpp_refproxy_add(struct rtpp_refproxy *rp, struct kref *rc, void (*rel)(struct kref *))
{
	kref_get(rc);
	rp->refs[rp->n].rc = rc;
	rp->refs[rp->n].rel = rel;
	rp->n++;
}

void rtpp_refproxy_decref(struct rtpp_refproxy *rp)
{
	kref_put(&rp->rcnt, rtpp_refproxy_release);
}

static int check_timer(struct rtpp_dtls_conn_priv *pvt);

static int rtpp_dtls_conn_timeout(double dtime, void *arg)
{
	struct rtpp_dtls_conn_priv *pvt = arg;

	pthread_mutex_lock(&pvt->state_lock);
	if (pvt->ttp != NULL) {
		rtpp_timed_task_decref(pvt->ttp);
		pvt->ttp = NULL;
		check_timer(pvt);
	}
	pthread_mutex_unlock(&pvt->state_lock);
	return CB_LAST;
}

static int check_timer(struct rtpp_dtls_conn_priv *pvt)
{
	double to;
	int err = dtls_get_timeout(pvt->ssl_ctx, &to);

	if (err == 1 && pvt->ttp != NULL)
		return 0;
	if (err == 1) {
		struct rtpp_refproxy *rp = rtpp_refproxy_ctor(3);
		if (rp == NULL)
			return -1;
		rtpp_refproxy_add(rp, &pvt->rcnt, rtpp_dtls_conn_dtor);
		rtpp_refproxy_add(rp, &pvt->dtls_strmp->rcnt, rtpp_stream_release);
		rtpp_refproxy_add(rp, module_rcnt, rtpp_module_release);
		pvt->ttp = rtpp_timed_schedule_rc(pvt->timed_cf, to, &rp->rcnt, rtpp_refproxy_release, rtpp_dtls_conn_timeout, pvt);
		rtpp_refproxy_decref(rp);
		if (pvt->ttp == NULL)
			return -1;
	} else if (pvt->ttp != NULL) {
		rtpp_timed_task_cancel(pvt->ttp);
		rtpp_timed_task_decref(pvt->ttp);
		pvt->ttp = NULL;
	}
	return 0;
}

int rtpp_dtls_conn_setmode(struct rtpp_dtls_conn_priv *pvt)
{
	int r;

	pthread_mutex_lock(&pvt->state_lock);
	r = check_timer(pvt);
	pthread_mutex_unlock(&pvt->state_lock);
	return r;
}
