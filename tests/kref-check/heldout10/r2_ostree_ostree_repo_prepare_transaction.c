/* SPDX-License-Identifier: MIT */
/*
 * Project: ostreedev/ostree
 * Path: src/libostree/ostree-repo-commit.c
 * Fix commit: 092421fabf3ae573b80370c924882cdcc6815af9
 * Bug: on success ostree_repo_prepare_transaction() disarms its
 * auto-abort guard by overwriting txn->repo with NULL, dropping the
 * pointer without putting the repo reference the guard's constructor took.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

typedef struct OstreeRepo {
	struct kref ref;
	bool in_transaction;
	bool cleanup_stagedir;
	void *txn_locked;
	unsigned long txn_stats[8];
} OstreeRepo;

typedef struct {
	struct kref ref;
	OstreeRepo *repo;	/* counted reference, or NULL once disarmed */
} OstreeRepoAutoTransaction;

/* tears down the repo's fds, caches and locks; frees it */
extern void ostree_repo_finalize(OstreeRepo *self);
/* takes the repo lock; returns a token or NULL */
extern void *ostree_repo_lock_push(OstreeRepo *self, int shared);
/* aborts the transaction in progress; false on error */
extern bool ostree_repo_abort_transaction(OstreeRepo *self);
/* checks the free space of the filesystem; false on error */
extern bool _ostree_repo_check_free_space(OstreeRepo *self);
/* creates or resumes the staging directory; false on error */
extern bool _ostree_repo_allocate_tmpdir(OstreeRepo *self, bool *out_resume);

static void ostree_repo_release(struct kref *ref)
{
	ostree_repo_finalize(container_of(ref, OstreeRepo, ref));
}

OstreeRepo *ostree_repo_ref(OstreeRepo *self)
{
	kref_get(&self->ref);
	return self;
}

void ostree_repo_unref(OstreeRepo *self)
{
	kref_put(&self->ref, ostree_repo_release);
}

OstreeRepoAutoTransaction *_ostree_repo_auto_transaction_new(OstreeRepo *repo)
{
	OstreeRepoAutoTransaction *txn = malloc(sizeof(*txn));

	if (txn == NULL)
		abort();
	kref_init(&txn->ref);
	txn->repo = ostree_repo_ref(repo);
	return txn;
}

static void _ostree_repo_auto_transaction_release(struct kref *ref)
{
	OstreeRepoAutoTransaction *txn =
		container_of(ref, OstreeRepoAutoTransaction, ref);

	/* abort only if the transaction was neither committed nor aborted */
	if (txn->repo != NULL) {
		ostree_repo_abort_transaction(txn->repo);
		ostree_repo_unref(txn->repo);
		txn->repo = NULL;
	}
	free(txn);
}

void _ostree_repo_auto_transaction_unref(OstreeRepoAutoTransaction *txn)
{
	if (txn != NULL)
		kref_put(&txn->ref, _ostree_repo_auto_transaction_release);
}

bool ostree_repo_prepare_transaction(OstreeRepo *self, bool *out_transaction_resume)
{
	OstreeRepoAutoTransaction *txn;
	bool resume = false;
	bool ret = false;

	if (self->in_transaction)
		return false;

	/* abort the transaction if we leave early */
	txn = _ostree_repo_auto_transaction_new(self);

	memset(self->txn_stats, 0, sizeof(self->txn_stats));

	self->txn_locked = ostree_repo_lock_push(self, 1);
	if (self->txn_locked == NULL)
		goto out;

	self->in_transaction = true;
	self->cleanup_stagedir = false;

	if (!_ostree_repo_check_free_space(self))
		goto out;

	if (!_ostree_repo_allocate_tmpdir(self, &resume))
		goto out;

	/* success: do not abort the transaction when returning */
	txn->repo = NULL; /* expect: rule 2 */

	if (out_transaction_resume)
		*out_transaction_resume = resume;
	ret = true;
out:
	_ostree_repo_auto_transaction_unref(txn);
	return ret;
}
