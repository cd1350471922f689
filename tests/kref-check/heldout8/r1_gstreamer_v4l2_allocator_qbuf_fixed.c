/* SPDX-License-Identifier: MIT */
/*
 * Source: GStreamer gst-plugins-good (GStreamer/gst-plugins-good), fix
 * commit 7f763f27100cb677c0f0f14b649f16a34cb56548 ("v4l2allocator:
 * reference memory before the buffer is queued", bgo#777399),
 * sys/v4l2/gstv4l2allocator.c.  gst_v4l2_allocator_qbuf() took the
 * references the queued buffer's memories hold only after VIDIOC_QBUF had
 * handed the buffer to the driver; another thread's
 * gst_v4l2_allocator_dqbuf() can dequeue it first and drop references not
 * yet taken, freeing the memory.  The fix refs before queuing and unrefs
 * if the queuing fails.  Reconstructed on struct kref (GstMemory's
 * mini-object count in the original); the v4l2 structures are reduced.
 */
#include <kref.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#define VIDEO_MAX_PLANES	8
#define VIDIOC_QBUF		0xc058560fUL
#define VIDIOC_DQBUF		0xc0585611UL
#define V4L2_BUF_FLAG_QUEUED	0x00000002

#define IS_QUEUED(buf)		((buf).flags & V4L2_BUF_FLAG_QUEUED)
#define SET_QUEUED(buf)		((buf).flags |= V4L2_BUF_FLAG_QUEUED)
#define UNSET_QUEUED(buf)	((buf).flags &= ~V4L2_BUF_FLAG_QUEUED)

typedef enum { GST_FLOW_OK = 0, GST_FLOW_EOS = -3, GST_FLOW_ERROR = -5 } GstFlowReturn;

struct v4l2_plane {
	unsigned int bytesused;
	unsigned int length;
};

struct v4l2_buffer {
	unsigned int index;
	unsigned int type;
	unsigned int bytesused;
	unsigned int flags;
	unsigned int memory;
	unsigned int length;
};

typedef struct _GstV4l2MemoryGroup GstV4l2MemoryGroup;

typedef struct {
	struct kref ref;
	size_t maxsize;
	size_t size;
	int plane;
	GstV4l2MemoryGroup *group;
} GstMemory;

struct _GstV4l2MemoryGroup {
	int n_mem;
	GstMemory *mem[VIDEO_MAX_PLANES];
	struct v4l2_buffer buffer;
	struct v4l2_plane planes[VIDEO_MAX_PLANES];
};

typedef struct {
	atomic_int active;
	int video_fd;
	bool multiplanar;
	unsigned int type;
	unsigned int memory;
	GstV4l2MemoryGroup *groups[32];
} GstV4l2Allocator;

/* VIDIOC_QBUF hands the buffer to the driver; from then on the streaming
 * thread may VIDIOC_DQBUF it as soon as the driver is done with it. */
extern int v4l2_ioctl(int fd, unsigned long request, void *arg);
/* Gives the group back to the allocator's free list when its last memory
 * is released. */
extern void gst_v4l2_allocator_release(GstV4l2MemoryGroup *group, GstMemory *mem);

static void gst_v4l2_memory_dispose(struct kref *ref)
{
	GstMemory *mem = container_of(ref, GstMemory, ref);

	gst_v4l2_allocator_release(mem->group, mem);
}

static void gst_memory_ref(GstMemory *mem)
{
	kref_get(&mem->ref);
}

static void gst_memory_unref(GstMemory *mem)
{
	kref_put(&mem->ref, gst_v4l2_memory_dispose);
}

bool gst_v4l2_allocator_qbuf(GstV4l2Allocator *allocator,
			     GstV4l2MemoryGroup *group)
{
	bool ret = true;
	int i;

	if (!atomic_load(&allocator->active))
		return false;

	/* update sizes */
	if (allocator->multiplanar) {
		for (i = 0; i < group->n_mem; i++)
			group->planes[i].bytesused = group->mem[i]->size;
	} else {
		group->buffer.bytesused = group->mem[0]->size;
	}

	/* Ensure the memory will stay around and is RO */
	for (i = 0; i < group->n_mem; i++)
		gst_memory_ref(group->mem[i]);

	if (v4l2_ioctl(allocator->video_fd, VIDIOC_QBUF, &group->buffer) < 0) {
		/* Release the memory, possibly making it RW again */
		for (i = 0; i < group->n_mem; i++)
			gst_memory_unref(group->mem[i]);

		ret = false;
		if (IS_QUEUED(group->buffer))
			UNSET_QUEUED(group->buffer);
		goto done;
	}

	if (!IS_QUEUED(group->buffer))
		SET_QUEUED(group->buffer);

done:
	return ret;
}

GstFlowReturn gst_v4l2_allocator_dqbuf(GstV4l2Allocator *allocator,
				       GstV4l2MemoryGroup **group_out)
{
	struct v4l2_buffer buffer = { 0 };
	GstV4l2MemoryGroup *group;
	int i;

	if (!atomic_load(&allocator->active))
		return GST_FLOW_ERROR;

	buffer.type = allocator->type;
	buffer.memory = allocator->memory;

	if (v4l2_ioctl(allocator->video_fd, VIDIOC_DQBUF, &buffer) < 0)
		return errno == EPIPE ? GST_FLOW_EOS : GST_FLOW_ERROR;

	if (buffer.index >= 32)
		return GST_FLOW_ERROR;
	group = allocator->groups[buffer.index];

	if (!IS_QUEUED(group->buffer))
		return GST_FLOW_ERROR;

	group->buffer = buffer;

	if (IS_QUEUED(group->buffer))
		UNSET_QUEUED(group->buffer);

	/* for capture, simply read the size */
	for (i = 0; i < group->n_mem; i++) {
		if (group->planes[i].bytesused <= group->mem[i]->maxsize)
			group->mem[i]->size = group->planes[i].bytesused;
		else
			group->mem[i]->size = group->mem[i]->maxsize;
	}

	/* Release the memory, possibly making it RW again */
	for (i = 0; i < group->n_mem; i++)
		gst_memory_unref(group->mem[i]);

	*group_out = group;
	return GST_FLOW_OK;
}
