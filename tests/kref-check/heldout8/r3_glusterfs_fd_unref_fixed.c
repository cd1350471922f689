/* SPDX-License-Identifier: MIT */
/*
 * Source: GlusterFS, commit aff178134ac8fe3b81f117df4df35cf873904493
 * ("Revert \"skip the lock when refcount is not zero\"", issue #2052),
 * libglusterfs/src/fd.c.
 * An inode's open fds are on inode->fd_list, where fd_lookup() finds one
 * under inode->lock and takes a reference; fd_unref() drops an fd's
 * reference, unlinks it from the inode and destroys it.
 */
#include <kref.h>
#include <linux/list.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct _inode {
	pthread_mutex_t lock;
	struct list_head fd_list;
	uint32_t fd_count;
	uint32_t active_fd_count;
} inode_t;

typedef struct _fd {
	struct kref refcount;
	uint64_t pid;
	int32_t flags;
	bool anonymous;
	struct list_head inode_list;
	inode_t *inode;
	bool bound;
} fd_t;

/* libglusterfs/src/glusterfs/list.h */
static inline void list_del_init(struct list_head *old)
{
	list_del(old);
	INIT_LIST_HEAD(old);
}

/* calls each translator's release()/releasedir() callback on the fd */
extern void fd_release_xlators(fd_t *fd);
extern void inode_unref(inode_t *inode);

static void fd_destroy(fd_t *fd, bool bound)
{
	fd_release_xlators(fd);

	if (bound) {
		/* Decrease the count only after close happens on file */
		pthread_mutex_lock(&fd->inode->lock);
		fd->inode->fd_count--;
		pthread_mutex_unlock(&fd->inode->lock);
	}
	inode_unref(fd->inode);
	fd->inode = NULL;
	free(fd);
}

static fd_t *__fd_ref(fd_t *fd)
{
	kref_get(&fd->refcount);
	return fd;
}

/* called with fd->inode->lock held */
static void fd_release(struct kref *ref)
{
	fd_t *fd = container_of(ref, fd_t, refcount);
	bool bound = false;

	if (!list_empty(&fd->inode_list)) {
		list_del_init(&fd->inode_list);
		fd->inode->active_fd_count--;
		bound = true;
	}
	pthread_mutex_unlock(&fd->inode->lock);

	fd_destroy(fd, bound);
}

void fd_unref(fd_t *fd)
{
	if (!fd)
		return;

	kref_put_mutex(&fd->refcount, fd_release, &fd->inode->lock);
}

static fd_t *__fd_bind(fd_t *fd)
{
	list_del_init(&fd->inode_list);
	list_add(&fd->inode_list, &fd->inode->fd_list);
	fd->inode->fd_count++;
	fd->inode->active_fd_count++;

	return fd;
}

fd_t *fd_bind(fd_t *fd)
{
	if (!fd || !fd->inode)
		return NULL;

	pthread_mutex_lock(&fd->inode->lock);
	fd = __fd_bind(fd);
	pthread_mutex_unlock(&fd->inode->lock);

	return fd;
}

static fd_t *__fd_lookup(inode_t *inode, uint64_t pid)
{
	fd_t *iter_fd = NULL;
	fd_t *fd = NULL;

	if (list_empty(&inode->fd_list))
		return NULL;

	list_for_each_entry(iter_fd, &inode->fd_list, inode_list) {
		if (iter_fd->anonymous)
			continue;

		if (!pid || iter_fd->pid == pid) {
			fd = __fd_ref(iter_fd);
			break;
		}
	}

	return fd;
}

fd_t *fd_lookup(inode_t *inode, uint64_t pid)
{
	fd_t *fd = NULL;

	if (!inode)
		return NULL;

	pthread_mutex_lock(&inode->lock);
	fd = __fd_lookup(inode, pid);
	pthread_mutex_unlock(&inode->lock);

	return fd;
}
