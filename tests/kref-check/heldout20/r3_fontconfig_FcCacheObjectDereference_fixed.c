/* SPDX-License-Identifier: MIT */
/*
 * Project: freedesktop/fontconfig
 * Path: src/fccache.c
 * Fix commit: 2ae07bbcd2a7650f2711b45e78e65e2ca1c4a17a
 * Bug: FcCacheObjectDereference() drops a cache's count outside cache_lock,
 * and the cache is only removed from the cache list (under the lock) after it
 * reached zero, while FcCacheFindByStat() finds caches in that list under
 * cache_lock and references them.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <kref.h>

typedef struct _FcCache FcCache;		/* a mapped or read cache file */
typedef struct _FcCacheSkip FcCacheSkip;

/* One entry per loaded cache; the list holds no reference of its own. */
struct _FcCacheSkip {
	FcCache *cache;
	struct kref ref;
	intptr_t size;
	dev_t cache_dev;
	ino_t cache_ino;
	time_t cache_mtime;
	FcCacheSkip *next;		/* the skip list, reduced to one level */
};

static FcCacheSkip *fcCacheChain;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static void lock_cache(void)   { pthread_mutex_lock(&cache_lock); }
static void unlock_cache(void) { pthread_mutex_unlock(&cache_lock); }

/* munmap()s or free()s the cache, depending on its magic */
extern void FcDirCacheUnmap(FcCache *cache);

int FcCacheInsert(FcCache *cache, intptr_t size, struct stat *cache_stat)
{
	FcCacheSkip *s = calloc(1, sizeof(*s));

	if (!s)
		return 0;
	s->cache = cache;
	s->size = size;
	kref_init(&s->ref);
	s->cache_dev = cache_stat->st_dev;
	s->cache_ino = cache_stat->st_ino;
	s->cache_mtime = cache_stat->st_mtime;

	lock_cache();
	s->next = fcCacheChain;
	fcCacheChain = s;
	unlock_cache();
	return 1;
}

static FcCacheSkip *FcCacheFindByAddrUnlocked(void *object)
{
	FcCacheSkip *s;

	for (s = fcCacheChain; s; s = s->next)
		if ((char *)object >= (char *)s->cache &&
		    (char *)object < (char *)s->cache + s->size)
			return s;
	return NULL;
}

FcCacheSkip *FcCacheFindByAddr(void *object)
{
	FcCacheSkip *ret;

	lock_cache();
	ret = FcCacheFindByAddrUnlocked(object);
	unlock_cache();
	return ret;
}

static void FcCacheRemoveUnlocked(FcCache *cache)
{
	FcCacheSkip **p, *s;

	for (p = &fcCacheChain; (s = *p); p = &s->next) {
		if (s->cache == cache) {
			*p = s->next;
			free(s);
			return;
		}
	}
}

/* lookup: under cache_lock, the entry is referenced before it is returned */
FcCache *FcCacheFindByStat(struct stat *cache_stat)
{
	FcCacheSkip *s;
	FcCache *cache = NULL;

	lock_cache();
	for (s = fcCacheChain; s; s = s->next) {
		if (s->cache_dev == cache_stat->st_dev &&
		    s->cache_ino == cache_stat->st_ino &&
		    s->cache_mtime == cache_stat->st_mtime) {
			kref_get(&s->ref);
			cache = s->cache;
			break;
		}
	}
	unlock_cache();
	return cache;
}

/* called with cache_lock held */
static void FcDirCacheDisposeUnlocked(FcCache *cache)
{
	FcCacheRemoveUnlocked(cache);
	FcDirCacheUnmap(cache);
}

/* called with cache_lock held */
static void FcCacheSkipRelease(struct kref *ref)
{
	FcCacheSkip *skip = container_of(ref, FcCacheSkip, ref);

	FcDirCacheDisposeUnlocked(skip->cache);
}

void FcCacheObjectDereference(void *object)
{
	FcCacheSkip *skip;

	lock_cache();
	skip = FcCacheFindByAddrUnlocked(object);
	if (skip)
		kref_put(&skip->ref, FcCacheSkipRelease);
	unlock_cache();
}
