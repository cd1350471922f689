/* SPDX-License-Identifier: MIT */
/*
 * Project: libnice/libnice
 * Path:    agent/agent.c
 * Fix:     6f0c7e8206a852cc1c43ba5789b65a22bc1f6b19
 * Bug:     nice_agent_remove_stream() hands the agent to the asynchronous
 *          removal of the stream's TURN refreshes without taking a reference,
 *          so the application can drop its last agent reference before the
 *          completion callback runs on it.
 */
#include <kref.h>
#include <pthread.h>
#include <stdlib.h>

typedef struct _NiceStream {
	struct kref ref;
	unsigned int id;
	struct _NiceStream *next;
} NiceStream;

typedef struct _NiceAgent {
	struct kref ref;
	pthread_mutex_t lock;
	NiceStream *streams;
} NiceAgent;

typedef void (*NiceStreamPrunedCallback)(NiceAgent *agent, NiceStream *stream);

/* Stores agent, stream and callback, sends TURN deallocations and calls
 * the callback later from the main loop; takes no reference of its own. */
extern void refresh_prune_stream_async(NiceAgent *agent, NiceStream *stream,
				       NiceStreamPrunedCallback function);
/* Drops the connectivity checks of the stream (synchronous). */
extern void conn_check_prune_stream(NiceAgent *agent, NiceStream *stream);
/* Drops the pending discoveries of the stream (synchronous). */
extern void discovery_prune_stream(NiceAgent *agent, unsigned int stream_id);
/* Closes the stream's sockets. */
extern void nice_stream_close(NiceAgent *agent, NiceStream *stream);
/* Queues the "streams-removed" signal. */
extern void agent_queue_streams_removed(NiceAgent *agent, unsigned int stream_id);

static void nice_stream_release(struct kref *ref)
{
	free(container_of(ref, NiceStream, ref));
}

static void nice_agent_release(struct kref *ref)
{
	NiceAgent *agent = container_of(ref, NiceAgent, ref);

	pthread_mutex_destroy(&agent->lock);
	free(agent);
}

void nice_agent_unref(NiceAgent *agent)
{
	kref_put(&agent->ref, nice_agent_release);
}

static NiceStream *agent_find_stream(NiceAgent *agent, unsigned int id)
{
	NiceStream *s;

	for (s = agent->streams; s; s = s->next)
		if (s->id == id)
			return s;
	return NULL;
}

static void agent_unlink_stream(NiceAgent *agent, NiceStream *stream)
{
	NiceStream **pp;

	for (pp = &agent->streams; *pp; pp = &(*pp)->next) {
		if (*pp == stream) {
			*pp = stream->next;
			return;
		}
	}
}

static void on_stream_refreshes_pruned(NiceAgent *agent, NiceStream *stream)
{
	pthread_mutex_lock(&agent->lock);
	nice_stream_close(agent, stream);
	pthread_mutex_unlock(&agent->lock);

	/* the stream list's reference, handed over by nice_agent_remove_stream */
	kref_put(&stream->ref, nice_stream_release);

	/* the reference taken for the asynchronous prune */
	nice_agent_unref(agent);
}

void nice_agent_remove_stream(NiceAgent *agent, unsigned int stream_id)
{
	NiceStream *stream;

	pthread_mutex_lock(&agent->lock);
	stream = agent_find_stream(agent, stream_id);
	if (!stream) {
		pthread_mutex_unlock(&agent->lock);
		return;
	}

	kref_get(&agent->ref);

	conn_check_prune_stream(agent, stream);
	discovery_prune_stream(agent, stream_id);
	refresh_prune_stream_async(agent, stream, on_stream_refreshes_pruned);

	agent_unlink_stream(agent, stream);
	agent_queue_streams_removed(agent, stream_id);
	pthread_mutex_unlock(&agent->lock);
}
