/* SPDX-License-Identifier: MIT */
/*
 * Project: util-linux/util-linux
 * Path: agetty-cmd/credentials.c
 * Fix commit: c88bf7ff7aafa2129d76d6b6395e4b250aa92dcf
 * Bug: agetty_load_credentials() creates a reference-counted path context
 * with ul_new_path() and never drops it, neither when the credentials
 * directory cannot be opened nor after reading it.
 */
#include <dirent.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

struct path_cxt {
	struct kref refcount;
	int dir_fd;
	char *dir_path;
};

struct agetty_options {
	char *autolog;
	unsigned int delay;
	int nice;
	int flags;
};

#define F_HANGUP	(1 << 0)
#define F_NOCLEAR	(1 << 1)
#define F_ISSUE		(1 << 2)

/* getenv() that refuses to work for set-uid programs */
extern char *safe_getenv(const char *name);
/* closes dir_fd, frees dir_path and the context */
extern void ul_free_path(struct path_cxt *pc);
/* allocates a path context for the formatted directory, refcount 1 */
extern struct path_cxt *ul_new_path(const char *dir, ...);
/* opens a directory relative to the context (does not take a reference) */
extern DIR *ul_path_opendir(struct path_cxt *pc, const char *path);
/* readdir() that skips "." and ".." */
extern struct dirent *xreaddir(DIR *dp);
/* read one credential file below pc into op or flags (borrow pc) */
extern int cred_read_str(struct path_cxt *pc, const char *name,
			 struct agetty_options *op, size_t offset);
extern int cred_read_num(struct path_cxt *pc, const char *name,
			 struct agetty_options *op, size_t offset, char type);
extern int cred_read_bool(struct path_cxt *pc, const char *name,
			  int *flags, int flag, int invert);
extern void agetty_log_warn(const char *msg);

static void ul_path_release(struct kref *kref)
{
	ul_free_path(container_of(kref, struct path_cxt, refcount));
}

void ul_ref_path(struct path_cxt *pc)
{
	if (pc)
		kref_get(&pc->refcount);
}

void ul_unref_path(struct path_cxt *pc)
{
	if (pc)
		kref_put(&pc->refcount, ul_path_release);
}

void agetty_load_credentials(struct agetty_options *op)
{
	char *env;
	DIR *dir;
	struct dirent *d;
	struct path_cxt *pc;

	env = safe_getenv("CREDENTIALS_DIRECTORY");
	if (!env)
		return;

	pc = ul_new_path("%s", env);
	if (!pc) {
		agetty_log_warn("failed to initialize path context");
		return;
	}

	dir = ul_path_opendir(pc, NULL);
	if (!dir) {
		agetty_log_warn("failed to open credentials directory");
		return; /* expect: rule 2 */
	}

	while ((d = xreaddir(dir))) {
		if (strcmp(d->d_name, "agetty.autologin") == 0)
			cred_read_str(pc, d->d_name, op,
				      offsetof(struct agetty_options, autolog));
		else if (strcmp(d->d_name, "agetty.delay") == 0)
			cred_read_num(pc, d->d_name, op,
				      offsetof(struct agetty_options, delay), 'u');
		else if (strcmp(d->d_name, "agetty.nice") == 0)
			cred_read_num(pc, d->d_name, op,
				      offsetof(struct agetty_options, nice), 'd');
		else if (strcmp(d->d_name, "agetty.hangup") == 0)
			cred_read_bool(pc, d->d_name, &op->flags, F_HANGUP, 0);
		else if (strcmp(d->d_name, "agetty.noclear") == 0)
			cred_read_bool(pc, d->d_name, &op->flags, F_NOCLEAR, 0);
		else if (strcmp(d->d_name, "agetty.noissue") == 0)
			cred_read_bool(pc, d->d_name, &op->flags, F_ISSUE, 1);
	}
	closedir(dir);
} /* expect: rule 2 */
