/* SPDX-License-Identifier: MIT */
/*
 * Project: wiredtiger/wiredtiger
 * Path:    src/os_posix/os_open.c
 * Fix:     947fd76ec44be529da12cdb1beef054e722b759e
 * Bug:     __wt_close() drops the WT_FH reference count to zero without
 *          holding conn->fh_lock and only then takes the lock to unlink the
 *          handle, while __wt_open() finds handles on that list under the
 *          lock and bumps their count, so it can hand out a closing handle.
 */
#include <kref.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct __wt_connection_impl;

typedef struct __wt_fh {
	struct kref refcnt;
	struct __wt_connection_impl *conn;
	struct __wt_fh *next;		/* connection's list of open files */
	char *name;
	int fd;
} WT_FH;

typedef struct __wt_connection_impl {
	pthread_mutex_t fh_lock;	/* protects fhqh */
	WT_FH *fhqh;
} WT_CONNECTION_IMPL;

typedef struct __wt_session_impl {
	WT_CONNECTION_IMPL *conn;
} WT_SESSION_IMPL;

#define S2C(session) ((session)->conn)

/* opens @name and returns a new WT_FH (count not set, not linked) */
extern WT_FH *__wt_open_fh(WT_SESSION_IMPL *session, const char *name);
/* reports a failed close(2) */
extern void __wt_err(const char *name);

/* called with fh_lock held: unlink @fh from the list */
static void __fh_unlink(WT_FH *fh)
{
	WT_CONNECTION_IMPL *conn = fh->conn;
	WT_FH **pp;

	for (pp = &conn->fhqh; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == fh) {
			*pp = fh->next;
			break;
		}
	}
}

static void __fh_discard(WT_FH *fh)
{
	if (close(fh->fd) != 0)
		__wt_err(fh->name);
	free(fh->name);
	free(fh);
}

int __wt_open(WT_SESSION_IMPL *session, const char *name, WT_FH **fhp)
{
	WT_CONNECTION_IMPL *conn = S2C(session);
	WT_FH *fh;

	/* Increment the reference count if we already have the file open. */
	pthread_mutex_lock(&conn->fh_lock);
	for (fh = conn->fhqh; fh != NULL; fh = fh->next) {
		if (strcmp(name, fh->name) == 0) {
			kref_get(&fh->refcnt);
			*fhp = fh;
			pthread_mutex_unlock(&conn->fh_lock);
			return 0;
		}
	}
	pthread_mutex_unlock(&conn->fh_lock);

	if ((fh = __wt_open_fh(session, name)) == NULL)
		return -1;
	kref_init(&fh->refcnt);
	fh->conn = conn;

	/* Link onto the database's list of files. */
	pthread_mutex_lock(&conn->fh_lock);
	fh->next = conn->fhqh;
	conn->fhqh = fh;
	pthread_mutex_unlock(&conn->fh_lock);

	*fhp = fh;
	return 0;
}

/* last reference: remove from the list and discard the memory */
static void __fh_release(struct kref *kref)
{
	WT_FH *fh = container_of(kref, WT_FH, refcnt);
	WT_CONNECTION_IMPL *conn = fh->conn;

	pthread_mutex_lock(&conn->fh_lock);
	__fh_unlink(fh);
	pthread_mutex_unlock(&conn->fh_lock);

	__fh_discard(fh);
}

int __wt_close(WT_SESSION_IMPL *session, WT_FH *fh)
{
	(void)session;
	if (fh == NULL)
		return 0;

	kref_put(&fh->refcnt, __fh_release); /* expect: rule 3 */
	return 0;
}
