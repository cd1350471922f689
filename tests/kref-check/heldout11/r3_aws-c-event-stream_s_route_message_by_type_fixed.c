/* SPDX-License-Identifier: MIT */
/*
 * Project: awslabs/aws-c-event-stream
 * Path: source/event_stream_rpc_client.c
 * Fix commit: 39bfa94a14b7126bf0c1330286ef8db452d87e66
 * Bug: s_route_message_by_type() finds the stream's continuation in the
 * connection's continuation table under stream_lock, unlocks, and only then
 * acquires it, while a concurrent close can empty the table and the last
 * reference can go in between.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

#define aws_mutex_lock(m)	pthread_mutex_lock(m)
#define aws_mutex_unlock(m)	pthread_mutex_unlock(m)

struct aws_hash_table;
struct aws_event_stream_rpc_message_args;
struct aws_event_stream_rpc_client_continuation_token;

struct aws_hash_element {
	const void *key;
	void *value;
};

typedef void(aws_event_stream_rpc_client_stream_continuation_fn)(
	struct aws_event_stream_rpc_client_continuation_token *token,
	const struct aws_event_stream_rpc_message_args *message_args, void *user_data);

struct aws_event_stream_rpc_client_connection {
	/* stream id -> continuation; the table holds one reference per entry */
	struct aws_hash_table *continuation_table;
	uint32_t latest_stream_id;
	pthread_mutex_t stream_lock;
};

struct aws_event_stream_rpc_client_continuation_token {
	struct kref ref_count;
	uint32_t stream_id;
	struct aws_event_stream_rpc_client_connection *connection;
	aws_event_stream_rpc_client_stream_continuation_fn *continuation_fn;
	void *user_data;
};

/* looks stream_id up; returns 0 and sets *p_elem (NULL if absent); the
 * value is borrowed, the table lock is the caller's */
extern int aws_hash_table_find(const struct aws_hash_table *map, const void *key,
			       struct aws_hash_element **p_elem);
/* drops the reference the continuation holds on its connection */
extern void aws_event_stream_rpc_client_connection_release(
	struct aws_event_stream_rpc_client_connection *connection);
/* sends a protocol error for the whole connection */
extern void s_send_connection_level_error(struct aws_event_stream_rpc_client_connection *connection);
/* on close: marks every continuation closed under stream_lock, then
 * completes each one, which drops the table's reference */
extern void s_clear_continuation_table(struct aws_event_stream_rpc_client_connection *connection);

static void s_continuation_destroy(struct kref *ref)
{
	struct aws_event_stream_rpc_client_continuation_token *continuation =
		container_of(ref, struct aws_event_stream_rpc_client_continuation_token, ref_count);

	aws_event_stream_rpc_client_connection_release(continuation->connection);
	free(continuation);
}

void aws_event_stream_rpc_client_continuation_acquire(
	struct aws_event_stream_rpc_client_continuation_token *continuation)
{
	kref_get(&continuation->ref_count);
}

void aws_event_stream_rpc_client_continuation_release(
	struct aws_event_stream_rpc_client_continuation_token *continuation)
{
	if (!continuation)
		return;
	kref_put(&continuation->ref_count, s_continuation_destroy);
}

/* application message received on stream_id (event-loop thread) */
void s_route_message_by_type(struct aws_event_stream_rpc_client_connection *connection,
			     const struct aws_event_stream_rpc_message_args *message_args,
			     uint32_t stream_id)
{
	struct aws_event_stream_rpc_client_continuation_token *continuation = NULL;
	struct aws_hash_element *continuation_element = NULL;

	aws_mutex_lock(&connection->stream_lock);
	if (aws_hash_table_find(connection->continuation_table, &stream_id, &continuation_element) ||
	    !continuation_element) {
		int old_stream_id = stream_id <= connection->latest_stream_id;

		aws_mutex_unlock(&connection->stream_lock);
		if (!old_stream_id)
			s_send_connection_level_error(connection);
		return;
	}

	continuation = continuation_element->value;
	aws_event_stream_rpc_client_continuation_acquire(continuation);

	aws_mutex_unlock(&connection->stream_lock);

	continuation->continuation_fn(continuation, message_args, continuation->user_data);
	aws_event_stream_rpc_client_continuation_release(continuation);
}
