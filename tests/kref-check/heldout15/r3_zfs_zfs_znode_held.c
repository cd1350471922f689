/* SPDX-License-Identifier: MIT */
/*
 * Project: openzfs/zfs
 * Path:    module/zfs/zfs_znode.c (zfs_znode_held, zfs_znode_hold_enter/exit)
 * Fix:     37c56346cca55f60e36bb584e00966bba24af327
 * Bug:     zfs_znode_held() finds the object's znode_hold_t in the AVL tree
 *          under z_hold_locks[i], drops that lock without taking a
 *          reference, and only then reads zh->zh_lock, while
 *          zfs_znode_hold_exit() may drop the last reference, remove the
 *          entry and free it under that same lock.
 *
 * zh_refcount (a zfs refcount_t) is the kref; the tree holds no reference.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <kref.h>

#define ZFS_OBJ_MTX_SZ	64

typedef struct zfs_sb zfs_sb_t;

typedef struct znode_hold {
	zfs_sb_t	*zh_zsb;
	uint64_t	zh_obj;
	pthread_mutex_t	zh_lock;	/* the per-object lock */
	struct kref	zh_refcount;
} znode_hold_t;

struct zfs_sb {
	pthread_mutex_t	z_hold_locks[ZFS_OBJ_MTX_SZ];	/* protect z_hold_trees[i] */
	void		*z_hold_trees[ZFS_OBJ_MTX_SZ];
};

#define ZFS_OBJ_HASH(zsb, obj)	((int)((obj) & (ZFS_OBJ_MTX_SZ - 1)))

/* looks obj up in the AVL tree; returns a borrowed pointer or NULL */
extern znode_hold_t *zh_tree_find(void *tree, uint64_t obj);
/* inserts zh into the AVL tree (the tree takes no reference) */
extern void zh_tree_add(void *tree, znode_hold_t *zh);
/* removes zh from the AVL tree */
extern void zh_tree_remove(void *tree, znode_hold_t *zh);
/* true if the calling thread owns the mutex (SPL's MUTEX_HELD) */
extern bool MUTEX_HELD(pthread_mutex_t *m);

/* Called under z_hold_locks[i] by the final put. */
static void znode_hold_release(struct kref *ref)
{
	znode_hold_t *zh = container_of(ref, znode_hold_t, zh_refcount);
	int i = ZFS_OBJ_HASH(zh->zh_zsb, zh->zh_obj);

	zh_tree_remove(zh->zh_zsb->z_hold_trees[i], zh);
	pthread_mutex_destroy(&zh->zh_lock);
	free(zh);
}

bool zfs_znode_held(zfs_sb_t *zsb, uint64_t obj)
{
	znode_hold_t *zh;
	int i = ZFS_OBJ_HASH(zsb, obj);

	pthread_mutex_lock(&zsb->z_hold_locks[i]);
	zh = zh_tree_find(zsb->z_hold_trees[i], obj);
	pthread_mutex_unlock(&zsb->z_hold_locks[i]);

	if (zh && MUTEX_HELD(&zh->zh_lock)) /* expect: rule 3 */
		return true;

	return false;
}

znode_hold_t *zfs_znode_hold_enter(zfs_sb_t *zsb, uint64_t obj)
{
	znode_hold_t *zh, *zh_new;
	int i = ZFS_OBJ_HASH(zsb, obj);
	bool found = false;

	zh_new = calloc(1, sizeof(*zh_new));
	if (zh_new == NULL)
		abort();
	zh_new->zh_zsb = zsb;
	zh_new->zh_obj = obj;
	pthread_mutex_init(&zh_new->zh_lock, NULL);
	kref_init(&zh_new->zh_refcount);

	pthread_mutex_lock(&zsb->z_hold_locks[i]);
	zh = zh_tree_find(zsb->z_hold_trees[i], obj);
	if (zh == NULL) {
		zh = zh_new;
		zh_tree_add(zsb->z_hold_trees[i], zh);
	} else {
		kref_get(&zh->zh_refcount);	/* the tree lock keeps zh alive */
		found = true;
	}
	pthread_mutex_unlock(&zsb->z_hold_locks[i]);

	if (found) {
		pthread_mutex_destroy(&zh_new->zh_lock);
		free(zh_new);
	}

	pthread_mutex_lock(&zh->zh_lock);
	return zh;
}

void zfs_znode_hold_exit(zfs_sb_t *zsb, znode_hold_t *zh)
{
	int i = ZFS_OBJ_HASH(zsb, zh->zh_obj);

	pthread_mutex_unlock(&zh->zh_lock);

	pthread_mutex_lock(&zsb->z_hold_locks[i]);
	kref_put(&zh->zh_refcount, znode_hold_release);
	pthread_mutex_unlock(&zsb->z_hold_locks[i]);
}
