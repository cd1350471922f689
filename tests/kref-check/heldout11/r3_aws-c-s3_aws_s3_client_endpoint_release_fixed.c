/* SPDX-License-Identifier: MIT */
/*
 * Project: awslabs/aws-c-s3
 * Path: source/s3_endpoint.c, source/s3_client.c, source/s3_meta_request.c
 * Fix commit: 3530a060bf71d9d9c2826a2558ad5164afd2f7c0
 * Bug: aws_s3_client_endpoint_release() tests the count under the client's
 * lock but drops the reference after unlocking, so two releasers can both
 * see 2 and free the endpoint while aws_s3_client_make_meta_request() can
 * still find it in the endpoints table and take a reference to it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <pthread.h>
#include <kref.h>

struct aws_string;
struct aws_http_connection_manager;
struct aws_hash_table;

struct aws_hash_element {
	const void *key;
	void *value;
};

struct aws_s3_client {
	struct {
		pthread_mutex_t lock;
		struct aws_hash_table *endpoints;	/* host name -> endpoint, no reference */
		int num_endpoints_allocated;
	} synced_data;
};

struct aws_s3_endpoint {
	struct kref ref_count;
	struct aws_string *host_name;
	struct aws_http_connection_manager *http_connection_manager;
	struct aws_s3_client *client;
};

struct aws_s3_meta_request {
	struct aws_s3_client *client;
	struct aws_s3_endpoint *endpoint;
};

/* finds host_name's entry or adds an empty one; *elem is borrowed */
extern int aws_hash_table_create(struct aws_hash_table *map, const void *key,
				 struct aws_hash_element **elem, int *was_created);
/* removes key's entry; the value is not touched */
extern int aws_hash_table_remove(struct aws_hash_table *map, const void *key);
/* allocates an endpoint with its connection manager; the count is not set */
extern struct aws_s3_endpoint *aws_s3_endpoint_new(struct aws_s3_client *client,
						   struct aws_string *host_name);
/* frees a host name string */
extern void aws_string_destroy(struct aws_string *str);
/* drops the connection manager; once it has shut down, its shutdown
 * callback frees the endpoint and tells the client */
extern void aws_http_connection_manager_release(struct aws_http_connection_manager *manager);
/* queues the meta request on the client's work list (client lock held) */
extern void s_s3_client_push_meta_request_synced(struct aws_s3_client *client,
						 struct aws_s3_meta_request *meta_request);

static void aws_s3_client_lock_synced_data(struct aws_s3_client *client)
{
	pthread_mutex_lock(&client->synced_data.lock);
}

static void aws_s3_client_unlock_synced_data(struct aws_s3_client *client)
{
	pthread_mutex_unlock(&client->synced_data.lock);
}

static void s_s3_endpoint_ref_count_zero(struct kref *ref)
{
	struct aws_s3_endpoint *endpoint = container_of(ref, struct aws_s3_endpoint, ref_count);
	struct aws_s3_client *client = endpoint->client;
	struct aws_http_connection_manager *http_connection_manager = endpoint->http_connection_manager;

	/* called with the client's lock held */
	aws_hash_table_remove(client->synced_data.endpoints, endpoint->host_name);
	aws_s3_client_unlock_synced_data(client);
	/* END CRITICAL SECTION */

	endpoint->http_connection_manager = NULL;
	/* cleanup continues in the manager's shutdown callback */
	aws_http_connection_manager_release(http_connection_manager);
}

struct aws_s3_endpoint *aws_s3_endpoint_acquire(struct aws_s3_endpoint *endpoint, bool already_holding_lock)
{
	if (!already_holding_lock)
		aws_s3_client_lock_synced_data(endpoint->client);

	kref_get(&endpoint->ref_count);

	if (!already_holding_lock)
		aws_s3_client_unlock_synced_data(endpoint->client);
	return endpoint;
}

void aws_s3_endpoint_release(struct aws_s3_endpoint *endpoint)
{
	/* BEGIN CRITICAL SECTION: the final decrement and the removal from
	 * the table happen under the client's lock */
	kref_put_mutex(&endpoint->ref_count, s_s3_endpoint_ref_count_zero,
		       &endpoint->client->synced_data.lock);
}

int aws_s3_client_make_meta_request(struct aws_s3_client *client,
				    struct aws_s3_meta_request *meta_request,
				    struct aws_string *endpoint_host_name)
{
	struct aws_s3_endpoint *endpoint = NULL;
	struct aws_hash_element *endpoint_hash_element = NULL;
	int was_created = 0;
	int error_occurred = 0;

	/* BEGIN CRITICAL SECTION */
	aws_s3_client_lock_synced_data(client);

	if (aws_hash_table_create(client->synced_data.endpoints, endpoint_host_name,
				  &endpoint_hash_element, &was_created)) {
		error_occurred = 1;
		goto unlock;
	}

	if (was_created) {
		endpoint = aws_s3_endpoint_new(client, endpoint_host_name);
		if (endpoint == NULL) {
			aws_hash_table_remove(client->synced_data.endpoints, endpoint_host_name);
			error_occurred = 1;
			goto unlock;
		}
		kref_init(&endpoint->ref_count);
		endpoint->host_name = endpoint_host_name;
		endpoint->client = client;
		endpoint_hash_element->value = endpoint;
		++client->synced_data.num_endpoints_allocated;
	} else {
		endpoint = aws_s3_endpoint_acquire(endpoint_hash_element->value, true /*already_holding_lock*/);
		aws_string_destroy(endpoint_host_name);
	}

	meta_request->endpoint = endpoint;
	s_s3_client_push_meta_request_synced(client, meta_request);

unlock:
	aws_s3_client_unlock_synced_data(client);
	/* END CRITICAL SECTION */

	return error_occurred ? -1 : 0;
}

void aws_s3_meta_request_finish_default(struct aws_s3_meta_request *meta_request)
{
	aws_s3_endpoint_release(meta_request->endpoint);
	meta_request->endpoint = NULL;
}
