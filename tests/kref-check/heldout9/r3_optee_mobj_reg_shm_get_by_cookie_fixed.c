/* SPDX-License-Identifier: MIT */
/*
 * OP-TEE OS (OP-TEE/optee_os), fix 7c04952c760bb2a1200b3c7048773d2a774cfbc4
 * (PR #7095), core/mm/mobj_dyn_shm.c: mobj_reg_shm_get_by_cookie() finds the
 * registered shared memory object in reg_shm_list under reg_shm_slist_lock
 * and takes its reference with mobj_get() only after unlocking, while the
 * last mobj_put() frees it through mobj_reg_shm_free().
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/queue.h>
#include <kref.h>

void panic(void) __attribute__((noreturn));

struct mobj;
struct mobj_ops {
	void (*free)(struct mobj *mobj);
};

struct mobj {
	const struct mobj_ops *ops;
	size_t size;
	struct kref refc;
};

struct mobj_reg_shm {
	struct mobj mobj;
	SLIST_ENTRY(mobj_reg_shm) next;
	uint64_t cookie;
	bool guarded;
};

static SLIST_HEAD(reg_shm_head, mobj_reg_shm) reg_shm_list =
	SLIST_HEAD_INITIALIZER(reg_shm_head);
static pthread_spinlock_t reg_shm_slist_lock;

static inline struct mobj *mobj_get(struct mobj *mobj)
{
	if (mobj && !kref_get_unless_zero(&mobj->refc))
		panic();
	return mobj;
}

static void mobj_release(struct kref *ref)
{
	struct mobj *mobj = container_of(ref, struct mobj, refc);

	mobj->ops->free(mobj);
}

static inline void mobj_put(struct mobj *mobj)
{
	if (mobj)
		kref_put(&mobj->refc, mobj_release);
}

static struct mobj_reg_shm *to_mobj_reg_shm(struct mobj *mobj)
{
	return container_of(mobj, struct mobj_reg_shm, mobj);
}

static void mobj_reg_shm_free(struct mobj *mobj)
{
	struct mobj_reg_shm *r = to_mobj_reg_shm(mobj);

	pthread_spin_lock(&reg_shm_slist_lock);
	SLIST_REMOVE(&reg_shm_list, r, mobj_reg_shm, next);
	pthread_spin_unlock(&reg_shm_slist_lock);
	free(r);
}

static const struct mobj_ops mobj_reg_shm_ops = {
	.free = mobj_reg_shm_free,
};

struct mobj *mobj_reg_shm_alloc(size_t size, uint64_t cookie)
{
	struct mobj_reg_shm *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->mobj.ops = &mobj_reg_shm_ops;
	r->mobj.size = size;
	kref_init(&r->mobj.refc);
	r->cookie = cookie;
	r->guarded = true;

	pthread_spin_lock(&reg_shm_slist_lock);
	SLIST_INSERT_HEAD(&reg_shm_list, r, next);
	pthread_spin_unlock(&reg_shm_slist_lock);
	return &r->mobj;
}

static struct mobj_reg_shm *reg_shm_find_unlocked(uint64_t cookie)
{
	struct mobj_reg_shm *mobj_reg_shm = NULL;

	SLIST_FOREACH(mobj_reg_shm, &reg_shm_list, next)
		if (mobj_reg_shm->cookie == cookie)
			return mobj_reg_shm;

	return NULL;
}

struct mobj *mobj_reg_shm_get_by_cookie(uint64_t cookie)
{
	struct mobj_reg_shm *r = NULL;
	struct mobj *m = NULL;

	pthread_spin_lock(&reg_shm_slist_lock);
	r = reg_shm_find_unlocked(cookie);
	if (r)
		m = mobj_get(&r->mobj);
	pthread_spin_unlock(&reg_shm_slist_lock);

	return m;
}

void mobj_reg_shm_unregister(struct mobj *mobj)
{
	mobj_put(mobj);
}
