/* SPDX-License-Identifier: MIT */
/*
 * Project: Enlightenment/efl
 * Path: src/lib/eina/eina_file_common.c (eina_file_close), src/lib/eina/eina_file.c (eina_file_open)
 * Fix commit: 58b578c9b07497496fedd51f3aa3bd434a0fa305
 * Bug: eina_file_close() drops the Eina_File's count without
 * _eina_file_lock_cache and takes that lock only to remove the file from the
 * cache once it reached zero, while eina_file_open() finds files in the cache
 * under the lock and references them.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <kref.h>

typedef struct _Eina_File Eina_File;

struct _Eina_File {
	const char *filename;
	struct kref ref;
	int fd;
	int shared;
	Eina_File *next;		/* link in _eina_file_cache */
};

/* filename -> Eina_File; the cache holds no reference */
static Eina_File *_eina_file_cache;
static pthread_mutex_t _eina_file_lock_cache = PTHREAD_MUTEX_INITIALIZER;

/* open()s or shm_open()s the sanitized path with FD_CLOEXEC, -1 on error */
extern int eina_file_open_fd(const char *filename, int shared);
/* allocates an Eina_File for fd (maps hash, stat data) or returns NULL */
extern Eina_File *eina_file_alloc(const char *filename, int fd, int shared);
/* unmaps every map of the file, closes its fd and frees it */
extern void eina_file_real_close(Eina_File *file);

static Eina_File *_eina_file_cache_find(const char *filename)
{
	Eina_File *f;

	for (f = _eina_file_cache; f; f = f->next)
		if (!strcmp(f->filename, filename))
			return f;
	return NULL;
}

static void _eina_file_cache_del(Eina_File *file)
{
	Eina_File **p;

	for (p = &_eina_file_cache; *p; p = &(*p)->next) {
		if (*p == file) {
			*p = file->next;
			break;
		}
	}
}

Eina_File *eina_file_open(const char *path, int shared)
{
	Eina_File *file, *n;
	int fd;

	fd = eina_file_open_fd(path, shared);
	if (fd < 0)
		return NULL;

	pthread_mutex_lock(&_eina_file_lock_cache);
	file = _eina_file_cache_find(path);
	if (!file) {
		n = eina_file_alloc(path, fd, shared);
		if (!n) {
			pthread_mutex_unlock(&_eina_file_lock_cache);
			close(fd);
			return NULL;
		}
		kref_init(&n->ref);
		n->next = _eina_file_cache;
		_eina_file_cache = n;
	} else {
		close(fd);
		n = file;
		kref_get(&n->ref);
	}
	pthread_mutex_unlock(&_eina_file_lock_cache);

	return n;
}

static void _eina_file_release(struct kref *ref)
{
	Eina_File *file = container_of(ref, Eina_File, ref);

	pthread_mutex_lock(&_eina_file_lock_cache);
	_eina_file_cache_del(file);
	eina_file_real_close(file);
	pthread_mutex_unlock(&_eina_file_lock_cache);
}

void eina_file_close(Eina_File *file)
{
	if (!file)
		return;

	kref_put(&file->ref, _eina_file_release); /* expect: rule 3 */
}
