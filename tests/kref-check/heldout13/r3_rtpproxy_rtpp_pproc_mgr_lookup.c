/* SPDX-License-Identifier: MIT */
/*
 * Project: sippy/rtpproxy
 * Path: src/advanced/pproc_manager.c, modules/catch_dtmf/rtpp_catch_dtmf.c
 * Fix commit: b88670aa80f8d29cc4b7c2c26b9c8d5f79a454a9
 * Bug: rtpp_pproc_mgr_lookup() finds a registered packet processor under
 * the manager's lock but returns a pointer into the table without taking
 * a reference, so a concurrent unregister can drop the last reference on
 * the processor's data before rtpp_catch_dtmf_handle_command() uses it.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <kref.h>

#define MAX_PKT_PROCS		4
#define _PPROC_ORD_EMPTY	0
#define PPROC_ORD_WITNESS	3

struct catch_dtmf_stream_cfg {
	struct kref rcnt;
	int pt;
};

struct packet_processor_if {
	const char *descr;
	void *key;
	void *arg;
	struct kref *rcnt;		/* counts arg, or NULL */
};

struct pproc_manager {
	pthread_mutex_t lock;
	struct {
		int pproc_order;
		struct packet_processor_if pproc_if;
	} handlers[MAX_PKT_PROCS];
};

static void catch_dtmf_data_free(struct kref *rcnt)
{
	free(container_of(rcnt, struct catch_dtmf_stream_cfg, rcnt));
}

static void RTPP_OBJ_DECREF(const struct packet_processor_if *pi)
{
	if (pi->rcnt != NULL)
		kref_put(pi->rcnt, catch_dtmf_data_free);
}

/* the manager keeps its own reference on every registered processor */
int rtpp_pproc_mgr_register(struct pproc_manager *mgr, int order,
			    const struct packet_processor_if *pi)
{
	int slot, rval = -1;

	pthread_mutex_lock(&mgr->lock);
	for (slot = 0; slot < MAX_PKT_PROCS; slot++) {
		if (mgr->handlers[slot].pproc_order != _PPROC_ORD_EMPTY)
			continue;
		if (pi->rcnt != NULL)
			kref_get(pi->rcnt);
		mgr->handlers[slot].pproc_if = *pi;
		mgr->handlers[slot].pproc_order = order;
		rval = 0;
		break;
	}
	pthread_mutex_unlock(&mgr->lock);
	return rval;
}

/* runs on another thread when the stream stops catching DTMF */
void rtpp_pproc_mgr_unregister(struct pproc_manager *mgr, void *key)
{
	struct packet_processor_if gone = { 0 };
	int slot;

	pthread_mutex_lock(&mgr->lock);
	for (slot = 0; slot < MAX_PKT_PROCS; slot++) {
		if (mgr->handlers[slot].pproc_order != _PPROC_ORD_EMPTY &&
		    mgr->handlers[slot].pproc_if.key == key) {
			gone = mgr->handlers[slot].pproc_if;
			mgr->handlers[slot].pproc_order = _PPROC_ORD_EMPTY;
			break;
		}
	}
	pthread_mutex_unlock(&mgr->lock);
	RTPP_OBJ_DECREF(&gone);		/* the manager's reference */
}

const struct packet_processor_if *
rtpp_pproc_mgr_lookup(struct pproc_manager *mgr, void *key)
{
	const struct packet_processor_if *ip;
	int slot;

	pthread_mutex_lock(&mgr->lock);
	for (slot = 0; slot < MAX_PKT_PROCS; slot++) {
		if (mgr->handlers[slot].pproc_order == _PPROC_ORD_EMPTY)
			break;
		ip = &mgr->handlers[slot].pproc_if;
		if (ip->key == key) {
			pthread_mutex_unlock(&mgr->lock);
			return ip; /* expect: rule 3 */
		}
	}
	pthread_mutex_unlock(&mgr->lock);
	return NULL;
}

/* returns a new catch_dtmf_stream_cfg holding one reference */
struct catch_dtmf_stream_cfg *catch_dtmf_data_ctor(int new_pt);

int rtpp_catch_dtmf_handle_command(struct pproc_manager *mgr, void *modkey,
				   int new_pt)
{
	const struct packet_processor_if *dpp;
	struct catch_dtmf_stream_cfg *rtps_c;
	int old_pt;

	dpp = rtpp_pproc_mgr_lookup(mgr, modkey);
	if (dpp == NULL) {
		rtps_c = catch_dtmf_data_ctor(new_pt);
		if (rtps_c == NULL)
			return -1;
		const struct packet_processor_if dtmf_poi = {
			.descr = "dtmf",
			.key = modkey,
			.arg = rtps_c,
			.rcnt = &rtps_c->rcnt,
		};
		if (rtpp_pproc_mgr_register(mgr, PPROC_ORD_WITNESS, &dtmf_poi) < 0) {
			RTPP_OBJ_DECREF(&dtmf_poi);
			return -1;
		}
		RTPP_OBJ_DECREF(&dtmf_poi);
	} else {
		rtps_c = dpp->arg;
	}

	old_pt = rtps_c->pt;
	rtps_c->pt = new_pt;
	return old_pt != new_pt;
}
