/* SPDX-License-Identifier: MIT */
/*
 * Babeltrace 2 (efficios/babeltrace), fix
 * 6adf99d540b2d239fc49bb64934becf410812c39,
 * src/plugins/utils/muxer/muxer.c: muxer_msg_iter_add_upstream_msg_iter()
 * stores the upstream message iterator in the new wrapper and takes a
 * reference on it; when the queue allocation then fails, the error path
 * g_free()s the wrapper and the iterator's reference is never put.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct bt_message_iterator {
	struct kref ref;
	void *upstream;
} bt_message_iterator;

typedef struct GQueue GQueue;
typedef struct GPtrArray GPtrArray;

/* Finalizes the upstream iterator and frees it. */
extern void bt_message_iterator_destroy(struct kref *ref);
extern GQueue *g_queue_new(void);
extern void g_queue_free(GQueue *queue);
extern void *g_queue_pop_head(GQueue *queue);
extern void g_ptr_array_add(GPtrArray *array, void *data);
extern void bt_message_put_ref(const void *msg);

#define g_new0(type, n)	((type *)calloc((n), sizeof(type)))
#define g_free(p)	free(p)

static void bt_message_iterator_get_ref(bt_message_iterator *iterator)
{
	if (iterator)
		kref_get(&iterator->ref);
}

static void bt_message_iterator_put_ref(bt_message_iterator *iterator)
{
	if (iterator)
		kref_put(&iterator->ref, bt_message_iterator_destroy);
}

struct muxer_comp {
	int log_level;
};

struct muxer_upstream_msg_iter {
	struct muxer_comp *muxer_comp;
	bt_message_iterator *msg_iter;
	GQueue *msgs;
};

struct muxer_msg_iter {
	struct muxer_comp *muxer_comp;
	GPtrArray *active_muxer_upstream_msg_iters;
};

static void empty_message_queue(struct muxer_upstream_msg_iter *upstream_msg_iter)
{
	const void *msg;

	while ((msg = g_queue_pop_head(upstream_msg_iter->msgs))) {
		bt_message_put_ref(msg);
	}
}

void destroy_muxer_upstream_msg_iter(
		struct muxer_upstream_msg_iter *muxer_upstream_msg_iter)
{
	if (!muxer_upstream_msg_iter) {
		return;
	}

	bt_message_iterator_put_ref(muxer_upstream_msg_iter->msg_iter);

	if (muxer_upstream_msg_iter->msgs) {
		empty_message_queue(muxer_upstream_msg_iter);
		g_queue_free(muxer_upstream_msg_iter->msgs);
	}

	g_free(muxer_upstream_msg_iter);
}

int muxer_msg_iter_add_upstream_msg_iter(struct muxer_msg_iter *muxer_msg_iter,
		bt_message_iterator *self_msg_iter)
{
	int ret = 0;
	struct muxer_upstream_msg_iter *muxer_upstream_msg_iter =
		g_new0(struct muxer_upstream_msg_iter, 1);
	struct muxer_comp *muxer_comp = muxer_msg_iter->muxer_comp;

	if (!muxer_upstream_msg_iter) {
		goto error;
	}

	muxer_upstream_msg_iter->muxer_comp = muxer_comp;
	muxer_upstream_msg_iter->msg_iter = self_msg_iter;
	bt_message_iterator_get_ref(muxer_upstream_msg_iter->msg_iter);
	muxer_upstream_msg_iter->msgs = g_queue_new();
	if (!muxer_upstream_msg_iter->msgs) {
		goto error;
	}

	g_ptr_array_add(muxer_msg_iter->active_muxer_upstream_msg_iters,
		muxer_upstream_msg_iter);
	goto end;

error:
	g_free(muxer_upstream_msg_iter); /* expect: rule 2 */
	ret = -1;

end:
	return ret;
}
