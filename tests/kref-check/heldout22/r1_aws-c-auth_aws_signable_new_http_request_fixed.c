/* SPDX-License-Identifier: MIT */
/*
 * Project: awslabs/aws-c-auth
 * Path:    source/signable_http_request.c
 * Fix:     ecbb37fe6549e7a0f5814050be076a2312118b38
 * Bug:     aws_signable_new_http_request() kept the caller's HTTP request in
 *          the signable without acquiring it, so a caller that released the
 *          request before signing finished left the signable dangling.
 */
#include <stdlib.h>
#include <kref.h>

struct aws_allocator;

struct aws_http_message {
	struct kref refcount;
	size_t header_count;
};

struct aws_signable_http_request_impl {
	struct aws_http_message *request;
	size_t header_count;
};

struct aws_signable {
	struct aws_allocator *allocator;
	void *impl;
};

/* allocates from the allocator; returns NULL on failure */
extern void *aws_mem_calloc(struct aws_allocator *allocator, size_t num,
			    size_t size);
/* frees memory from aws_mem_calloc() */
extern void aws_mem_release(struct aws_allocator *allocator, void *mem);
/* frees the message's headers and body stream */
extern void aws_http_message_clean_up(struct aws_http_message *message);

static void s_http_message_destroy(struct kref *ref)
{
	struct aws_http_message *message =
		container_of(ref, struct aws_http_message, refcount);

	aws_http_message_clean_up(message);
	free(message);
}

struct aws_http_message *aws_http_message_acquire(struct aws_http_message *message)
{
	if (message != NULL)
		kref_get(&message->refcount);
	return message;
}

struct aws_http_message *aws_http_message_release(struct aws_http_message *message)
{
	if (message != NULL)
		kref_put(&message->refcount, s_http_message_destroy);
	return NULL;
}

void s_aws_signable_http_request_destroy(struct aws_signable *signable)
{
	struct aws_signable_http_request_impl *impl;

	if (signable == NULL)
		return;
	impl = signable->impl;
	if (impl == NULL)
		return;

	aws_http_message_release(impl->request);
	aws_mem_release(signable->allocator, impl);
	aws_mem_release(signable->allocator, signable);
}

struct aws_signable *aws_signable_new_http_request(struct aws_allocator *allocator,
						   struct aws_http_message *request)
{
	struct aws_signable *signable;
	struct aws_signable_http_request_impl *impl;

	signable = aws_mem_calloc(allocator, 1, sizeof(*signable));
	if (signable == NULL)
		return NULL;
	impl = aws_mem_calloc(allocator, 1, sizeof(*impl));
	if (impl == NULL) {
		aws_mem_release(allocator, signable);
		return NULL;
	}

	signable->allocator = allocator;
	signable->impl = impl;

	/* copy the headers */
	impl->header_count = request->header_count;

	impl->request = aws_http_message_acquire(request);

	return signable;
}
