/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: pjsip/pjproject commit
 * 4543316a5d889cf70b1a30bd3fde10b21794b52f "Fixed #1386: fixed
 * send_raw_resolver_callback() in sip_util.c, should increment tdata ref
 * count before calling pjsip_tpmgr_send_raw() to avoid tdata gets
 * destroyed prematurely" (svn r3813, branches/1.x),
 * pjsip/src/pjsip/sip_util.c and sip_transport.c.  The resolver callback
 * hands sraw_data->tdata to pjsip_tpmgr_send_raw(), which drops a reference
 * when the send completes (at once, or in send_raw_callback()), then drops
 * the one it holds for sraw_data: the tdata went to the send with no
 * reference of its own and can be freed (with sraw_data, in its pool)
 * before the callback is done.  The fix adds pjsip_tx_data_add_ref()
 * before the call.  pjsip_tx_data's ref_cnt is written with a kref.
 */
#include <stdlib.h>
#include <sys/types.h>
#include <kref.h>

#define PJ_SUCCESS 0
#define PJ_EPENDING 70002
typedef int pj_status_t;

typedef struct pjsip_tx_data pjsip_tx_data;
typedef void (*pjsip_tp_send_callback)(void *token, pjsip_tx_data *tdata, ssize_t bytes_sent);

struct pjsip_tx_data {
	struct kref ref_cnt;
	struct { char *start, *cur, *end; } buf;
	void *token;
	pjsip_tp_send_callback cb;
};

typedef struct pjsip_transport pjsip_transport;
typedef struct pjsip_server_addresses { unsigned count; int type; void *addr; int addr_len; } pjsip_server_addresses;

struct send_raw_data {
	void *endpt;
	pjsip_tx_data *tdata;
	void *app_token;
	pjsip_tp_send_callback app_cb;
};

/* Finds or creates a transport to addr, with a reference for the caller. */
extern pj_status_t pjsip_tpmgr_acquire_transport(void *endpt, int type, void *addr, int addr_len, pjsip_transport **tp);
extern void pjsip_transport_dec_ref(pjsip_transport *tp);
/* tr->send_msg(): PJ_EPENDING if cb(token) will run when the send completes. */
extern pj_status_t transport_send_msg(pjsip_transport *tr, pjsip_tx_data *tdata, void *addr,
				      int addr_len, void *token, pjsip_tp_send_callback cb);
/* Destroys the tdata's pool (which holds the tdata and sraw_data). */
extern void tx_data_destroy(pjsip_tx_data *tdata);

static void tx_data_release(struct kref *ref)
{
	tx_data_destroy(container_of(ref, pjsip_tx_data, ref_cnt));
}

void pjsip_tx_data_add_ref(pjsip_tx_data *tdata)
{
	kref_get(&tdata->ref_cnt);
}

void pjsip_tx_data_dec_ref(pjsip_tx_data *tdata)
{
	kref_put(&tdata->ref_cnt, tx_data_release);
}

static void send_raw_callback(void *token, pjsip_tx_data *tdata, ssize_t size)
{
	if (tdata->cb)
		(*tdata->cb)(tdata->token, tdata, size);
	/* Decrement reference count. */
	pjsip_tx_data_dec_ref(tdata);
}

/* Sends tdata's buffer; consumes one reference on tdata. */
pj_status_t pjsip_tpmgr_send_raw(void *endpt, int tp_type, pjsip_tx_data *tdata, void *addr,
				 int addr_len, void *token, pjsip_tp_send_callback cb)
{
	pjsip_transport *tr;
	pj_status_t status;

	status = pjsip_tpmgr_acquire_transport(endpt, tp_type, addr, addr_len, &tr);
	if (status != PJ_SUCCESS)
		return status;
	tdata->token = token;
	tdata->cb = cb;
	status = transport_send_msg(tr, tdata, addr, addr_len, tdata, &send_raw_callback);
	if (status != PJ_EPENDING) {
		/* callback will not be called, so destroy tdata now. */
		pjsip_tx_data_dec_ref(tdata);
		pjsip_transport_dec_ref(tr);
	}
	return status;
}

/* pjsip_resolve() callback of pjsip_endpt_send_raw(), token = sraw_data (in tdata's pool). */
void send_raw_resolver_callback(pj_status_t status, void *token, const pjsip_server_addresses *addr)
{
	struct send_raw_data *sraw_data = (struct send_raw_data *) token;

	if (status != PJ_SUCCESS) {
		if (sraw_data->app_cb)
			(*sraw_data->app_cb)(sraw_data->app_token, sraw_data->tdata, -status);
	} else {
		ssize_t data_len = sraw_data->tdata->buf.cur - sraw_data->tdata->buf.start;

		/* Avoid tdata destroyed by pjsip_tpmgr_send_raw(). */
		pjsip_tx_data_add_ref(sraw_data->tdata);

		status = pjsip_tpmgr_send_raw(sraw_data->endpt, addr->type, sraw_data->tdata,
					      addr->addr, addr->addr_len,
					      sraw_data->app_token, sraw_data->app_cb);
		if (status == PJ_SUCCESS)
			(*sraw_data->app_cb)(sraw_data->app_token, sraw_data->tdata, data_len);
		else if (status != PJ_EPENDING)
			(*sraw_data->app_cb)(sraw_data->app_token, sraw_data->tdata, -status);
	}
	pjsip_tx_data_dec_ref(sraw_data->tdata);
}
