/* SPDX-License-Identifier: MIT */
/*
 * Project: haproxy/haproxy
 * Path: src/stick_table.c
 * Fix commit: 9357873641c5de29b169848fc1c808747818a1eb
 * Bug: stksess_kill() drops the session's reference before taking the
 * shard's lock that stktable_lookup() gets it under, so the count can reach
 * zero while a lookup still finds the entry in the tree (double free).
 */
#include <kref.h>
#include <pthread.h>
#include <stddef.h>

#define SHARD_CNT 64

struct ebmb_node {
	void *branches[2];
};

struct eb32_node {
	void *branches[2];
};

struct stktable;

struct stksess {
	struct kref ref;		/* ref_cnt: users of the entry */
	struct stktable *table;
	struct eb32_node exp;		/* expiration tree */
	struct eb32_node upd;		/* update tree (peers) */
	struct ebmb_node key;		/* lookup tree, per shard */
};

struct stktable {
	int type;
	size_t key_size;
	struct {
		pthread_rwlock_t sh_lock;	/* protects the shard's trees */
	} shards[SHARD_CNT];
};

/* shard of a key */
extern unsigned int stktable_calc_shard_num(const struct stktable *t,
					    const void *key, size_t len);
/* key of an entry */
extern const void *stksess_key(const struct stksess *ts, size_t *len);
/* finds the entry with ts's key in the shard's tree; caller holds sh_lock; borrowed */
extern struct stksess *__stktable_lookup(struct stktable *t, struct stksess *ts,
					 unsigned int shard);
/* removes a node from its elastic binary tree */
extern void ebmb_delete(struct ebmb_node *node);
extern void eb32_delete(struct eb32_node *node);
/* returns the entry's memory to the table's pool */
extern void __stksess_free(struct stktable *t, struct stksess *ts);

static unsigned int stksess_shard(struct stksess *ts)
{
	size_t len;
	const void *key = stksess_key(ts, &len);

	return stktable_calc_shard_num(ts->table, key, len);
}

/* Unlinks and frees an entry nobody uses any more: the shard's lock is held. */
static void __stksess_kill(struct kref *ref)
{
	struct stksess *ts = container_of(ref, struct stksess, ref);

	eb32_delete(&ts->exp);
	eb32_delete(&ts->upd);
	ebmb_delete(&ts->key);
	__stksess_free(ts->table, ts);
}

/* Returns the entry with the same key as ts, with a reference, or NULL. */
struct stksess *stktable_lookup(struct stktable *t, struct stksess *ts)
{
	struct stksess *lts;
	unsigned int shard = stksess_shard(ts);

	pthread_rwlock_rdlock(&t->shards[shard].sh_lock);
	lts = __stktable_lookup(t, ts, shard);
	if (lts)
		kref_get(&lts->ref);
	pthread_rwlock_unlock(&t->shards[shard].sh_lock);

	return lts;
}

/*
 * Drops the caller's reference and kills the entry if it was the last one.
 * Returns non-zero if the entry was deleted.
 */
int stksess_kill(struct stktable *t, struct stksess *ts)
{
	unsigned int shard = stksess_shard(ts);
	int ret;

	pthread_rwlock_wrlock(&t->shards[shard].sh_lock);
	ret = kref_put(&ts->ref, __stksess_kill);
	pthread_rwlock_unlock(&t->shards[shard].sh_lock);

	return ret;
}
