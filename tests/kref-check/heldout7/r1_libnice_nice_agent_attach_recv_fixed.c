/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (not a copy) of a refcount bug fixed in libnice.
 *
 * Repository: libnice/libnice
 * Commit:     5aa81a864c8b50c81e4cc8eff9708f0dacb7ce31
 * Title:      "Keep a ref on the GMainContext that are attached to"
 * Path:       agent/agent.c (and agent/component.c, socket/tcp-bsd.c)
 * Function:   nice_agent_attach_recv()
 *
 * nice_agent_attach_recv() stores the application's GMainContext in
 * component->ctx without taking a reference.  The component keeps using
 * it long after the call: every socket added later (a TURN relay, a new
 * candidate) is watched with a GSource attached to component->ctx.  If the
 * application drops its context (its thread and loop go away) while the
 * stream still exists, the next attach uses a freed context.  Fixed by
 * g_main_context_ref (ctx) when it is stored, g_main_context_unref() of
 * the old one when it is replaced or cleared, and in component_free().
 * (The same commit makes the TCP socket ref the context it keeps; only the
 * component is modelled.)
 *
 * The GMainContext's count is modelled with a struct kref.
 */
#include <stdlib.h>
#include <kref.h>

typedef void *gpointer;
typedef int gboolean;
typedef struct _GSource GSource;
typedef struct _NiceSocket NiceSocket;
typedef void (*NiceAgentRecvFunc)(unsigned int stream_id,
				  unsigned int component_id,
				  unsigned int len, char *buf, gpointer data);

typedef struct _GMainContext {
	struct kref ref_count;
	void *poll_records;
} GMainContext;

static void g_main_context_release(struct kref *kref)
{
	GMainContext *context = container_of(kref, GMainContext, ref_count);

	free(context->poll_records);
	free(context);
}

GMainContext *g_main_context_new(void)
{
	GMainContext *context = calloc(1, sizeof(*context));

	if (context != NULL)
		kref_init(&context->ref_count);
	return context;
}

GMainContext *g_main_context_ref(GMainContext *context)
{
	kref_get(&context->ref_count);
	return context;
}

void g_main_context_unref(GMainContext *context)
{
	kref_put(&context->ref_count, g_main_context_release);
}

/* a watch on the socket's fd that calls the component's recv callback;
 * the source is dispatched later by the loop that runs context */
extern GSource *nice_socket_create_watch(NiceSocket *socket);
extern unsigned int g_source_attach(GSource *source, GMainContext *context);

typedef struct _Component {
	NiceSocket *sockets[4];
	int n_sockets;
	GSource *gsources[4];
	int n_gsources;
	NiceAgentRecvFunc g_source_io_cb;
	gpointer data;
	GMainContext *ctx;
} Component;

/* attaches one socket of the component to the component's context; also
 * called whenever a socket is added later (TURN, peer-reflexive) */
void agent_attach_stream_component_socket(Component *component,
					  NiceSocket *socket)
{
	GSource *source;

	if (!component->ctx || component->n_gsources == 4)
		return;
	source = nice_socket_create_watch(socket);
	g_source_attach(source, component->ctx);
	component->gsources[component->n_gsources++] = source;
}

static void priv_attach_stream_component(Component *component)
{
	int i;

	for (i = 0; i < component->n_sockets; i++)
		agent_attach_stream_component_socket(component,
						     component->sockets[i]);
}

/* destroys and drops the component's sources */
extern void priv_detach_stream_component(Component *component);

gboolean nice_agent_attach_recv(Component *component, GMainContext *ctx,
				NiceAgentRecvFunc func, gpointer data)
{
	if (component->g_source_io_cb)
		priv_detach_stream_component(component);

	component->g_source_io_cb = NULL;
	component->data = NULL;
	if (component->ctx)
		g_main_context_unref(component->ctx);
	component->ctx = NULL;

	if (func) {
		component->g_source_io_cb = func;
		component->data = data;
		component->ctx = ctx;
		if (ctx)
			g_main_context_ref(ctx);

		priv_attach_stream_component(component);
	}
	return 1;
}

void component_free(Component *cmp)
{
	priv_detach_stream_component(cmp);
	if (cmp->ctx != NULL) {
		g_main_context_unref(cmp->ctx);
		cmp->ctx = NULL;
	}
	free(cmp);
}

/* the application: a receive thread with its own context, which exits
 * (dropping the context) while the stream lives on */
void app_start_receiving(Component *component, NiceAgentRecvFunc cb)
{
	GMainContext *ctx = g_main_context_new();

	if (ctx == NULL)
		return;
	nice_agent_attach_recv(component, ctx, cb, NULL);
	g_main_context_unref(ctx);
}
