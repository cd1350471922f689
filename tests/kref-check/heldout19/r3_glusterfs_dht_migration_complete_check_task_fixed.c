/* SPDX-License-Identifier: MIT */
/*
 * Project: gluster/glusterfs
 * Path: xlators/cluster/dht/src/dht-helper.c
 * Fix: 3ad42325811716bcbcb09ec5b0a6b6267a11ec3e ("cluster/dht: Fix unsafe iteration on inode->fd_list")
 * Bug: dht_migration_complete_check_task() walks inode->fd_list without
 * inode->lock and uses each fd without a reference, while fd_unref() on
 * other threads drops the last reference, unlinks the fd from that list
 * under inode->lock and destroys it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>
#include <linux/list.h>

/* from GlusterFS's own list.h */
#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_entry((head)->next, __typeof__(*pos), member),	\
	     n = list_entry(pos->member.next, __typeof__(*pos), member);	\
	     &pos->member != (head);					\
	     pos = n, n = list_entry(n->member.next, __typeof__(*n), member))

#define LOCK(l)		pthread_mutex_lock(l)
#define UNLOCK(l)	pthread_mutex_unlock(l)

typedef struct _xlator xlator_t;
typedef struct _loc loc_t;

typedef struct _inode {
	pthread_mutex_t lock;
	struct list_head fd_list;
} inode_t;

typedef struct _fd {
	struct kref refcount;
	struct list_head inode_list;
	inode_t *inode;
	int flags;
	int anonymous;
} fd_t;

/* is this fd already opened on the destination subvolume? */
extern int dht_fd_open_on_dst(xlator_t *this, fd_t *fd, xlator_t *dst);
/* opens the file behind @fd on @subvol (synchronous, may take seconds) */
extern int syncop_open(xlator_t *subvol, loc_t *loc, int flags, fd_t *fd);
/* records in the fd's context that it is open on @dst */
extern int dht_fd_ctx_set(xlator_t *this, fd_t *fd, xlator_t *dst);
/* releases the xlators' fd contexts and frees the fd */
extern void fd_destroy(fd_t *fd);

static int fd_is_anonymous(fd_t *fd)
{
	return fd->anonymous;
}

/* the caller holds fd->inode->lock */
fd_t *__fd_ref(fd_t *fd)
{
	kref_get(&fd->refcount);
	return fd;
}

static void fd_release(struct kref *kref)
{
	fd_t *fd = container_of(kref, fd_t, refcount);

	list_del(&fd->inode_list);
	UNLOCK(&fd->inode->lock);
	fd_destroy(fd);
}

void fd_unref(fd_t *fd)
{
	kref_put_mutex(&fd->refcount, fd_release, &fd->inode->lock);
}

int dht_migration_complete_check_task(xlator_t *this, inode_t *inode,
				      xlator_t *dst_node, loc_t *tmp_loc)
{
	fd_t *iter_fd = NULL;
	fd_t *tmp = NULL;
	int open_failed = 0;
	int ret = -1;

	LOCK(&inode->lock);

	if (list_empty(&inode->fd_list))
		goto unlock;

	/* perform 'open()' on all the fd's present on the inode */
	list_for_each_entry_safe(iter_fd, tmp, &inode->fd_list, inode_list) {
		if (fd_is_anonymous(iter_fd))
			continue;

		if (dht_fd_open_on_dst(this, iter_fd, dst_node))
			continue;

		/* syncop_open() runs without inode->lock: keep the fd alive */
		__fd_ref(iter_fd);

		UNLOCK(&inode->lock);

		ret = syncop_open(dst_node, tmp_loc, iter_fd->flags, iter_fd);
		if (ret < 0)
			open_failed = 1;
		else
			dht_fd_ctx_set(this, iter_fd, dst_node);

		fd_unref(iter_fd);

		LOCK(&inode->lock);
	}

	if (open_failed) {
		ret = -1;
		goto unlock;
	}
	ret = 0;

unlock:
	UNLOCK(&inode->lock);

	return ret;
}
