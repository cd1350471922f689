/* SPDX-License-Identifier: MIT */
/*
 * lttng-tools (lttng/lttng-tools), fix
 * 245f8bec36f63ba93143f9d5fc346553ce1dbe0a,
 * src/bin/lttng-relayd/main.c (relay_index_try_flush() in index.c):
 * relay_index_try_flush() marks the index flushed and puts its
 * self-reference whenever it writes it, even when the write fails; on that
 * failure handle_index_data() puts the self-reference a second time.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <kref.h>

struct lttng_index_file;

struct relay_stream {
	uint64_t stream_handle;
	uint64_t tracefile_size_current;
	uint64_t index_received_seqcount;
	struct lttng_index_file *index_file;
};

struct relay_index {
	struct kref ref;
	pthread_mutex_t lock;
	struct relay_stream *stream;
	struct lttng_index_file *index_file;
	uint64_t total_size;
	bool has_index_data;
	bool flushed;
	char index_data[64];
};

/*
 * Finds the stream's index for net_seq_num or creates it; the index is
 * returned with its self-reference, which the flush releases.
 */
extern struct relay_index *relay_index_get_by_id_or_create(struct relay_stream *stream,
		uint64_t net_seq_num);
/* Sets the index file (taking its own reference on it); 0 on success. */
extern int relay_index_set_file(struct relay_index *index,
		struct lttng_index_file *index_file, uint64_t data_offset);
/* Writes the index entry; negative on failure. */
extern int lttng_index_file_write(struct lttng_index_file *index_file,
		const void *data);
extern int create_rotate_index_file(struct relay_stream *stream);
extern void tracefile_array_commit_seq(struct relay_stream *stream);
/* Unlinks the index from the stream's table and frees it. */
extern void index_release(struct kref *ref);

void relay_index_put(struct relay_index *index)
{
	kref_put(&index->ref, index_release);
}

/*
 * Returns 0 if flushed, 1 if not ready to flush, a negative value on
 * write error.  Once the index is flushed (even with an error), its
 * self-reference is put.
 */
int relay_index_try_flush(struct relay_index *index)
{
	int ret = 1;
	bool flushed = false;

	pthread_mutex_lock(&index->lock);
	if (index->flushed) {
		goto skip;
	}
	/* Check if we are ready to flush. */
	if (!index->has_index_data || !index->index_file) {
		goto skip;
	}
	flushed = true;
	index->flushed = true;
	ret = lttng_index_file_write(index->index_file, index->index_data);
skip:
	pthread_mutex_unlock(&index->lock);

	if (flushed) {
		/* Put self-ref from index now that it has been flushed. */
		relay_index_put(index);
	}
	return ret;
}

int handle_index_data(struct relay_stream *stream, uint64_t net_seq_num,
		bool rotate_index, bool *flushed, uint64_t total_size)
{
	int ret = 0;
	uint64_t data_offset;
	struct relay_index *index;

	/* Get data offset because we are about to update the index. */
	data_offset = stream->tracefile_size_current;

	index = relay_index_get_by_id_or_create(stream, net_seq_num);
	if (!index) {
		ret = -1;
		goto end;
	}

	if (rotate_index || !stream->index_file) {
		ret = create_rotate_index_file(stream);
		if (ret < 0) {
			/* Put self-ref for this index due to error. */
			relay_index_put(index);
			index = NULL;
			goto end;
		}
	}

	if (relay_index_set_file(index, stream->index_file, data_offset)) {
		ret = -1;
		/* Put self-ref for this index due to error. */
		relay_index_put(index);
		index = NULL;
		goto end;
	}

	ret = relay_index_try_flush(index);
	if (ret == 0) {
		tracefile_array_commit_seq(stream);
		stream->index_received_seqcount++;
		*flushed = true;
	} else if (ret > 0) {
		index->total_size = total_size;
		/* No flush. */
		ret = 0;
	} else {
		/* The failed flush has already put the self-reference. */
		ret = -1;
	}
end:
	return ret;
}
