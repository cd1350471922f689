/* SPDX-License-Identifier: MIT */
/*
 * Project: DeaDBeeF-Player/deadbeef
 * Path:    streamreader.c
 * Fix:     43ce298567239203a92cc86aadc7544549ea4c77
 * Bug:     streamreader_read_block() stored the track in the queued stream
 *          block without taking a reference, so the track could be freed
 *          while decoded blocks still pointed at it.
 */
#include <stddef.h>
#include <stdlib.h>
#include <kref.h>

typedef struct playItem_s {
	struct kref ref;
	char *fname;
} playItem_t;

typedef struct DB_fileinfo_s DB_fileinfo_t;

typedef struct streamblock_s {
	struct streamblock_s *next;
	playItem_t *track;
	char *buf;
	int pos;
	int size;
	int queued;
	int first;
	int last;
} streamblock_t;

static streamblock_t *blocks;
static int numblocks_ready;
static int _firstblock;

/* decodes up to size bytes of the track into buf; returns the count or -1 */
extern int fileinfo_read(DB_fileinfo_t *fileinfo, char *buf, int size);
/* locks the streamer mutex; the caller unlocks */
extern void mutex_lock(unsigned long mutex);

static void pl_item_free(struct kref *ref)
{
	playItem_t *it = container_of(ref, playItem_t, ref);

	free(it->fname);
	free(it);
}

void pl_item_ref(playItem_t *it)
{
	kref_get(&it->ref);
}

void pl_item_unref(playItem_t *it)
{
	kref_put(&it->ref, pl_item_free);
}

int streamreader_read_block(streamblock_t *block, playItem_t *track,
			    DB_fileinfo_t *fileinfo, unsigned long mutex)
{
	int size = 4096;
	int rb;

	rb = fileinfo_read(fileinfo, block->buf, size);

	mutex_lock(mutex);

	block->pos = 0;
	block->size = rb >= 0 ? rb : 0;
	block->track = track; /* expect: rule 1 */

	block->first = _firstblock;
	_firstblock = 0;
	block->last = rb != size;
	if (block->last)
		_firstblock = 1;
	return 0;
}

static void _streamreader_release_block(streamblock_t *block)
{
	block->pos = -1;
	block->track = NULL;
	block->queued = 0;

	numblocks_ready--;
	if (numblocks_ready < 0)
		numblocks_ready = 0;
}

void streamreader_next_block(streamblock_t *block_data)
{
	if (block_data)
		_streamreader_release_block(block_data);
}

void streamreader_reset(void)
{
	streamblock_t *b = blocks;

	while (b) {
		b->pos = -1;
		if (b->track) {
			b->track = NULL;
		}
		b->queued = 0;
		b = b->next;
	}
	numblocks_ready = 0;
	_firstblock = 0;
}
