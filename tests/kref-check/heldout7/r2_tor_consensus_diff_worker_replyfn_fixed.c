/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (not a copy) of a refcount bug fixed in Tor.
 *
 * Repository: torproject/tor
 * Commit:     43d683e0ad46b7914ef0e629dc7b953fcdd1f411
 * Title:      "Fix reference leak & handle leak in consensus_diff_worker_replyfn"
 * Path:       src/or/consdiffmgr.c
 * Function:   consensus_diff_worker_replyfn()
 *
 * consensus_cache_add() returns a new cache entry whose count starts at 2:
 * one for the cache, one for the caller.  The reply function of the diff
 * worker only wraps the entry in a weak handle (which takes no reference)
 * and stores the handle in the diff table, so the caller's reference is
 * never dropped and the entry (and its mapped file) is never freed.  Fixed
 * with consensus_cache_entry_decref(ent) after making the handle (the same
 * commit also frees the handle when it is not cached; that part is not
 * modelled).
 *
 * The entry's refcnt is modelled with a struct kref.
 */
#include <stdlib.h>
#include <string.h>
#include <kref.h>

typedef struct consensus_cache_t consensus_cache_t;

typedef struct consensus_cache_entry_t {
	struct kref refcnt;
	consensus_cache_t *in_cache;
	char *fname;
	void *map;
} consensus_cache_entry_t;

/* weak handle: does not keep the entry alive */
typedef struct consensus_cache_entry_handle_t {
	consensus_cache_entry_t *object;
} consensus_cache_entry_handle_t;

typedef struct consensus_diff_worker_job_t {
	consensus_cache_entry_t *diff_from;
	consensus_cache_entry_t *diff_to;
	char *body_out;
	size_t bodylen_out;
	void *labels_out;
} consensus_diff_worker_job_t;

enum { CDM_DIFF_PRESENT = 1, CDM_DIFF_ERROR = 2 };

static void consensus_cache_entry_free(struct kref *kref)
{
	consensus_cache_entry_t *ent =
		container_of(kref, consensus_cache_entry_t, refcnt);

	free(ent->map);
	free(ent->fname);
	free(ent);
}

void consensus_cache_entry_incref(consensus_cache_entry_t *ent)
{
	kref_get(&ent->refcnt);
}

void consensus_cache_entry_decref(consensus_cache_entry_t *ent)
{
	if (!ent)
		return;
	kref_put(&ent->refcnt, consensus_cache_entry_free);
}

/* the cache's list of entries; it owns one reference to each */
extern void cache_entries_append(consensus_cache_t *cache,
				 consensus_cache_entry_t *ent);
extern consensus_cache_t *cdm_cache_get(void);
/* 0 on success; fills the digest of ent's label */
extern int cdm_entry_get_sha3_value(unsigned char *out,
				    consensus_cache_entry_t *ent);
/* records status and handle for the (from, to) pair; keeps the handle */
extern void cdm_diff_ht_set_status(const unsigned char *from,
				   const unsigned char *to, int status,
				   consensus_cache_entry_handle_t *handle);
extern void consensus_diff_worker_job_free(consensus_diff_worker_job_t *job);

consensus_cache_entry_t *consensus_cache_add(consensus_cache_t *cache,
					     const char *data, size_t datalen)
{
	consensus_cache_entry_t *ent = calloc(1, sizeof(*ent));

	if (!ent)
		return NULL;
	ent->fname = strndup(data, datalen);
	ent->in_cache = cache;
	kref_init(&ent->refcnt);
	/* Start the count at 2: the caller owns one, the cache the other. */
	kref_get(&ent->refcnt);
	cache_entries_append(cache, ent);
	return ent;
}

consensus_cache_entry_handle_t *
consensus_cache_entry_handle_new(consensus_cache_entry_t *ent)
{
	consensus_cache_entry_handle_t *h = calloc(1, sizeof(*h));

	if (h)
		h->object = ent;
	return h;
}

static void consensus_diff_worker_replyfn(void *work_)
{
	consensus_diff_worker_job_t *job = work_;
	unsigned char from_sha3[32], to_sha3[32];
	int cache = 1;

	if (cdm_entry_get_sha3_value(from_sha3, job->diff_from) < 0)
		cache = 0;
	if (cdm_entry_get_sha3_value(to_sha3, job->diff_to) < 0)
		cache = 0;

	int status;
	consensus_cache_entry_handle_t *handle = NULL;
	if (job->body_out && job->bodylen_out && job->labels_out) {
		/* Success! Store the results */
		consensus_cache_entry_t *ent =
			consensus_cache_add(cdm_cache_get(), job->body_out,
					    job->bodylen_out);
		status = CDM_DIFF_PRESENT;
		handle = consensus_cache_entry_handle_new(ent);
		consensus_cache_entry_decref(ent);
	} else {
		/* Cache this error so we don't try to compute it again. */
		status = CDM_DIFF_ERROR;
	}

	if (cache)
		cdm_diff_ht_set_status(from_sha3, to_sha3, status, handle);
	consensus_diff_worker_job_free(job);
}

void (*cdm_reply_fn)(void *) = consensus_diff_worker_replyfn;
