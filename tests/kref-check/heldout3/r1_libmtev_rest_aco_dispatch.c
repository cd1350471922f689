/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: circonus-labs/libmtev commit
 * 217e5115e2f0fcb91f64102304c3744bbe08bdcd "The http context can be
 * derefed in the callback. refcnt it like http2", src/mtev_rest.c,
 * mtev_rest_request_dispatcher(), mtev_rest_aco_session_continue() and
 * mtev_rest_aco_handler().  For a coroutine-enabled endpoint the
 * dispatcher floats the connection's event, stores the http session in a
 * new mtev_rest_aco_ctx_t and schedules a timer that restarts the session
 * inside a coroutine; the stored session pointer holds no reference, and
 * the session can be dereferenced (freed) before the timer's coroutine
 * runs.  The fix takes mtev_http_session_ref_inc() when storing it and
 * drops it on both exits of the handler.  The session's refcnt written
 * here with struct kref.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/time.h>
#include <kref.h>

typedef struct _event *eventer_t;
typedef struct mtev_http_connection mtev_http_connection;
typedef struct mtev_http_session_ctx {
	struct kref ref_cnt;
	mtev_http_connection *conn;
	int aco;
} mtev_http_session_ctx;

struct mtev_rest_aco_ctx_t {
	mtev_http_session_ctx *http_ctx;
};

typedef int (*eventer_func_t)(eventer_t e, int mask, void *closure, struct timeval *now);

/* NULL once the connection has been closed. */
mtev_http_connection *mtev_http_session_connection(mtev_http_session_ctx *ctx);
/* Detaches the connection's event from the event loop and returns it. */
eventer_t mtev_http_connection_event_float(mtev_http_connection *conne);
void eventer_remove_fde(eventer_t e);
/* Runs cb(closure) on thread t at its next loop iteration. */
void eventer_add_timer_next_opportunity(eventer_func_t cb, void *closure, pthread_t t);
/* Starts fn in a new coroutine; eventer_aco_arg() returns arg inside it. */
void eventer_aco_start(void (*fn)(void), void *arg);
void *eventer_aco_arg(void);
void aco_exit(void);
/* Re-runs the http session driver on the connection (inside the coroutine). */
void mtev_http_session_drive_aco(mtev_http_session_ctx *ctx, mtev_http_connection *conne);
/* Frees the session's buffers, request and response. */
void mtev_http_session_free(mtev_http_session_ctx *ctx);

static void mtev_http_session_release(struct kref *kref)
{
	mtev_http_session_free(container_of(kref, mtev_http_session_ctx, ref_cnt));
}

void mtev_http_session_ref_inc(mtev_http_session_ctx *ctx)
{
	kref_get(&ctx->ref_cnt);
}

int mtev_http_session_ref_dec(mtev_http_session_ctx *ctx)
{
	return kref_put(&ctx->ref_cnt, mtev_http_session_release);
}

static void mtev_rest_aco_handler(void)
{
	struct mtev_rest_aco_ctx_t *aco_ctx = eventer_aco_arg();
	mtev_http_connection *conne = mtev_http_session_connection(aco_ctx->http_ctx);

	if (!conne) {
		free(aco_ctx);
		aco_exit();
		return;
	}
	aco_ctx->http_ctx->aco = 1;
	mtev_http_session_drive_aco(aco_ctx->http_ctx, conne);
	aco_ctx->http_ctx->aco = 0;
	free(aco_ctx);
	aco_exit();
}

static int mtev_rest_aco_session_continue(eventer_t e, int mask, void *closure, struct timeval *now)
{
	(void)e;
	(void)mask;
	(void)now;
	eventer_aco_start(mtev_rest_aco_handler, closure);
	return 0;
}

int mtev_rest_request_dispatcher(mtev_http_session_ctx *ctx, int aco_enabled)
{
	if (!ctx->aco && aco_enabled) {
		mtev_http_connection *conne = mtev_http_session_connection(ctx);
		eventer_t olde = mtev_http_connection_event_float(conne);
		struct mtev_rest_aco_ctx_t *aco_ctx;

		eventer_remove_fde(olde);
		aco_ctx = calloc(1, sizeof(*aco_ctx));
		if (!aco_ctx)
			return -1;
		aco_ctx->http_ctx = ctx;	/* expect: rule 1 */
		eventer_add_timer_next_opportunity(mtev_rest_aco_session_continue, aco_ctx, pthread_self());
		return 0;
	}
	return 1;
}
