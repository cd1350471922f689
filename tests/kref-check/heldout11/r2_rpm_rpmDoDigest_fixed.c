/* SPDX-License-Identifier: MIT */
/*
 * Project: rpm-software-management/rpm
 * Path: rpmio/rpmfileutil.c
 * Fix commit: 1b0aefbd82722e289164bc06153b908fba112399
 * Bug: rpmDoDigest() drops its reference on the file descriptor with
 * Fclose() and then calls Ferror() on it, reading an object that may
 * already have been freed.
 */
#include <stdlib.h>
#include <string.h>
#include <kref.h>

typedef struct _FD_s {
	struct kref ref;
	int fdno;
	int syserrno;
	char *descr;
} *FD_t;

/* opens the file; the caller owns the one reference of the new FD_t */
extern FD_t Fopen(const char *path, const char *fmode);
/* reads up to size * nmemb bytes; returns the count, 0 at end */
extern int Fread(void *buf, size_t size, size_t nmemb, FD_t fd);
/* starts a digest over everything later read through fd */
extern void fdInitDigest(FD_t fd, int hashalgo, int flags);
/* finishes the digest; *datap is newly allocated */
extern void fdFiniDigest(FD_t fd, int hashalgo, void **datap, size_t *lenp, int asAscii);
/* closes the underlying descriptor number */
extern int fd_close_fdno(int fdno);

static void fdRelease(struct kref *ref)
{
	FD_t fd = container_of(ref, struct _FD_s, ref);

	free(fd->descr);
	free(fd);
}

FD_t fdLink(FD_t fd)
{
	if (fd)
		kref_get(&fd->ref);
	return fd;
}

FD_t fdFree(FD_t fd)
{
	if (fd)
		kref_put(&fd->ref, fdRelease);
	return NULL;
}

/* closes the stream and drops the caller's reference */
int Fclose(FD_t fd)
{
	int rc;

	if (fd == NULL)
		return -1;
	rc = fd_close_fdno(fd->fdno);
	fd->fdno = -1;
	fdFree(fd);
	return rc;
}

int Ferror(FD_t fd)
{
	if (fd == NULL)
		return -1;
	return fd->syserrno != 0;
}

int rpmDoDigest(int algo, const char *fn, int asAscii, unsigned char *digest)
{
	unsigned char *dig = NULL;
	size_t diglen, buflen = 32 * 8192;
	unsigned char *buf = malloc(buflen);
	int rc = 0;

	FD_t fd = Fopen(fn, "r.ufdio");

	if (fd) {
		fdInitDigest(fd, algo, 0);
		while ((rc = Fread(buf, sizeof(*buf), buflen, fd)) > 0) {}
		fdFiniDigest(fd, algo, (void **)&dig, &diglen, asAscii);
	}

	if (dig == NULL || Ferror(fd)) {
		rc = 1;
	} else {
		memcpy(digest, dig, diglen);
	}

	free(dig);
	free(buf);
	Fclose(fd);

	return rc;
}
