/* SPDX-License-Identifier: MIT */
/*
 * Project: awslabs/aws-c-mqtt
 * Path:    source/request-response/request_response_client.c
 * Fix:     34646b229c56e889b902dbca0a5afd0014a00ced
 * Bug:     s_aws_mqtt_request_response_client_new() kept the event loop in
 *          the client without acquiring its event loop group, so the loop
 *          could be destroyed while the client still scheduled tasks on it.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <kref.h>

struct aws_allocator;

struct aws_event_loop_group {
	struct kref ref_count;
};

struct aws_event_loop {
	struct aws_event_loop_group *base_elg;
};

struct aws_mqtt_request_response_client_options {
	size_t max_request_response_subscriptions;
	size_t max_streaming_subscriptions;
	unsigned int operation_timeout_seconds;
};

enum aws_request_response_client_state {
	AWS_RRCS_UNINITIALIZED,
	AWS_RRCS_ACTIVE,
};

struct aws_mqtt_request_response_client {
	struct aws_allocator *allocator;
	struct aws_mqtt_request_response_client_options config;
	struct aws_event_loop *loop;
	enum aws_request_response_client_state state;
};

/* allocates from the allocator; returns NULL on failure */
extern void *aws_mem_calloc(struct aws_allocator *allocator, size_t num,
			    size_t size);
/* frees memory from aws_mem_calloc() */
extern void aws_mem_release(struct aws_allocator *allocator, void *mem);
/* stops the group's threads and frees its loops */
extern void s_event_loop_group_shutdown(struct aws_event_loop_group *elg);
/* checks the subscription limits */
extern bool aws_rr_subscription_manager_are_options_valid(
	const struct aws_mqtt_request_response_client_options *options);

static void s_event_loop_group_release(struct kref *ref)
{
	s_event_loop_group_shutdown(container_of(ref, struct aws_event_loop_group,
						 ref_count));
}

struct aws_event_loop_group *
aws_event_loop_group_acquire_from_event_loop(struct aws_event_loop *loop)
{
	if (loop == NULL || loop->base_elg == NULL)
		return NULL;
	kref_get(&loop->base_elg->ref_count);
	return loop->base_elg;
}

void aws_event_loop_group_release_from_event_loop(struct aws_event_loop *loop)
{
	if (loop != NULL && loop->base_elg != NULL)
		kref_put(&loop->base_elg->ref_count, s_event_loop_group_release);
}

void s_mqtt_request_response_client_final_destroy(
	struct aws_mqtt_request_response_client *client)
{
	aws_event_loop_group_release_from_event_loop(client->loop);
	aws_mem_release(client->allocator, client);
}

struct aws_mqtt_request_response_client *s_aws_mqtt_request_response_client_new(
	struct aws_allocator *allocator,
	const struct aws_mqtt_request_response_client_options *options,
	struct aws_event_loop *loop)
{
	struct aws_mqtt_request_response_client *rr_client;

	if (!aws_rr_subscription_manager_are_options_valid(options))
		return NULL;

	rr_client = aws_mem_calloc(allocator, 1, sizeof(*rr_client));
	if (rr_client == NULL)
		return NULL;

	rr_client->allocator = allocator;
	rr_client->config = *options;
	rr_client->state = AWS_RRCS_UNINITIALIZED;

	rr_client->loop = loop;
	/* keep the event loop group alive until the client is destroyed */
	if (!aws_event_loop_group_acquire_from_event_loop(loop)) {
		aws_mem_release(allocator, rr_client);
		return NULL;
	}

	return rr_client;
}
