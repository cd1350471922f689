/* SPDX-License-Identifier: MIT */
/*
 * Project: nfs-ganesha/nfs-ganesha
 * Path:    src/FSAL/Stackable_FSALs/FSAL_MDCACHE/mdcache_helpers.c
 * Fix:     e306c01685b74970ada2259f2bf393cdc1233af6
 * Bug:     on the end-of-readdir path mdcache_readdir_chunked() drops the
 *          directory's content_lock before dropping its reference on the
 *          dirent chunk, although chunk references must be dropped under
 *          that lock, the one the chunk lookups and the chunk cleanup take.
 */
#include <kref.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

struct mdcache_entry;

struct dir_chunk {
	struct kref refcnt;
	struct dir_chunk *next;			/* in the directory's list */
	struct mdcache_entry *parent;
	uint64_t reload_ck;
};

typedef struct mdcache_entry {
	pthread_mutex_t content_lock;		/* protects the chunk list */
	struct dir_chunk *chunks;
} mdcache_entry_t;

typedef struct { int major; } fsal_status_t;

/* under content_lock: the chunk holding cookie @whence, borrowed */
extern struct dir_chunk *mdcache_find_chunk(mdcache_entry_t *dir,
					    uint64_t whence);
/* under content_lock: hands the chunk's dirents to the client callback */
extern fsal_status_t mdcache_chunk_send_dirents(struct dir_chunk *chunk,
						bool *eod_met);

/* content_lock held: unlink the chunk and its dirents, then free it */
static void lru_clean_chunk(struct kref *kref)
{
	struct dir_chunk *chunk = container_of(kref, struct dir_chunk, refcnt);
	struct dir_chunk **pp;

	for (pp = &chunk->parent->chunks; *pp; pp = &(*pp)->next) {
		if (*pp == chunk) {
			*pp = chunk->next;
			break;
		}
	}
	free(chunk);
}

static inline void mdcache_lru_ref_chunk(struct dir_chunk *chunk)
{
	kref_get(&chunk->refcnt);
}

/* Should be called with content_lock held. */
static inline void mdcache_lru_unref_chunk(struct dir_chunk *chunk)
{
	if (chunk)
		kref_put(&chunk->refcnt, lru_clean_chunk);
}

fsal_status_t mdcache_readdir_chunked(mdcache_entry_t *directory,
				      uint64_t whence, bool *eod_met)
{
	fsal_status_t status = { 0 };
	struct dir_chunk *chunk;

	pthread_mutex_lock(&directory->content_lock);

	chunk = mdcache_find_chunk(directory, whence);
	if (chunk == NULL) {
		pthread_mutex_unlock(&directory->content_lock);
		status.major = 1;	/* ERR_FSAL_NOENT */
		return status;
	}
	mdcache_lru_ref_chunk(chunk);

	status = mdcache_chunk_send_dirents(chunk, eod_met);

	if (*eod_met) {
		/* readdir completed */
		pthread_mutex_unlock(&directory->content_lock);

		mdcache_lru_unref_chunk(chunk); /* expect: rule 3 */
		return status;
	}

	mdcache_lru_unref_chunk(chunk);
	pthread_mutex_unlock(&directory->content_lock);
	return status;
}
