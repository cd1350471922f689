/* SPDX-License-Identifier: MIT */
/*
 * Project: openzfs/zfs
 * Path:    module/zfs/zvol.c
 * Fix:     e6eb03a9915399edd96be636190e2b1a2d748f1c
 * Bug:     zvol_check_volblocksize() opens the pool (taking a hold on the
 *          spa) and returns EDOM for a too-large volblocksize without
 *          closing it, so the pool hold leaks.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <kref.h>

#define FTAG			((void *)__func__)
#define SET_ERROR(e)		(e)
#define SPA_OLD_MAXBLOCKSIZE	(1ULL << 17)
#define SPA_MINBLOCKSIZE	(1ULL << 9)
#define SPA_MAXBLOCKSIZE	(1ULL << 24)
#define ISP2(x)			(((x) & ((x) - 1)) == 0)

enum spa_feature { SPA_FEATURE_LARGE_BLOCKS };

typedef struct spa {
	struct kref spa_refcount;	/* one per spa_open() hold */
	char spa_name[256];
	uint64_t spa_features;
} spa_t;

pthread_mutex_t spa_namespace_lock = PTHREAD_MUTEX_INITIALIZER;
uint64_t zfs_max_recordsize = 1ULL << 20;

/* finds the pool by name in the namespace tree; caller holds
 * spa_namespace_lock; returns a borrowed pointer or NULL */
extern spa_t *spa_lookup(const char *name);
/* unlinks the pool from the namespace tree; caller holds spa_namespace_lock */
extern void spa_remove(spa_t *spa);
/* reads the feature refcount from the pool's MOS; no reference taken */
extern int spa_feature_is_enabled(spa_t *spa, enum spa_feature f);

static void spa_release(struct kref *kref)
{
	spa_t *spa = container_of(kref, spa_t, spa_refcount);

	spa_remove(spa);
	pthread_mutex_unlock(&spa_namespace_lock);
	free(spa);
}

int spa_open(const char *name, spa_t **spapp, const void *tag)
{
	spa_t *spa;

	(void)tag;
	pthread_mutex_lock(&spa_namespace_lock);
	spa = spa_lookup(name);
	if (spa == NULL) {
		pthread_mutex_unlock(&spa_namespace_lock);
		return (ENOENT);
	}
	kref_get(&spa->spa_refcount);
	pthread_mutex_unlock(&spa_namespace_lock);
	*spapp = spa;
	return (0);
}

void spa_close(spa_t *spa, const void *tag)
{
	(void)tag;
	kref_put_mutex(&spa->spa_refcount, spa_release, &spa_namespace_lock);
}

int
zvol_check_volblocksize(const char *name, uint64_t volblocksize)
{
	/* Record sizes above 128k need the feature to be enabled */
	if (volblocksize > SPA_OLD_MAXBLOCKSIZE) {
		spa_t *spa;
		int error;

		if ((error = spa_open(name, &spa, FTAG)) != 0)
			return (error);

		if (!spa_feature_is_enabled(spa, SPA_FEATURE_LARGE_BLOCKS)) {
			spa_close(spa, FTAG);
			return (SET_ERROR(ENOTSUP));
		}

		/* above 1MB only if the tunable has been raised */
		if (volblocksize > zfs_max_recordsize)
			return (SET_ERROR(EDOM)); /* expect: rule 2 */

		spa_close(spa, FTAG);
	}

	if (volblocksize < SPA_MINBLOCKSIZE ||
	    volblocksize > SPA_MAXBLOCKSIZE ||
	    !ISP2(volblocksize))
		return (SET_ERROR(EDOM));

	return (0);
}
