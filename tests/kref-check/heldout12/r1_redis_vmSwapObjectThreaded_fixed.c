/* SPDX-License-Identifier: MIT */
/*
 * Project: redis/redis
 * Path: redis.c
 * Fix commit: 7dd8e7cfdfcdce0defee316645359eb9b36cf4d0
 * Bug: vmSwapObjectThreaded() stores the key in an I/O job queued for the
 * I/O threads without incrRefCount(), although freeIOJob() later drops a
 * reference on j->key, so the key can be freed while the job still uses it.
 */
#include <assert.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <kref.h>

#define REDIS_OK 0
#define REDIS_VM_MEMORY 0
#define REDIS_VM_SWAPPING 1
#define REDIS_IOJOB_LOAD 0
#define REDIS_IOJOB_PREPARE_SWAP 1
#define REDIS_IOJOB_DO_SWAP 2

typedef struct redisObject {
	struct kref refcount;		/* o->refcount */
	int storage;
	void *ptr;
} robj;

typedef struct redisDb redisDb;

typedef struct iojob {
	int type;
	redisDb *db;
	robj *key;			/* the key this job swaps */
	robj *id;
	robj *val;
	int canceled;
	pthread_t thread;
} iojob;

/* allocates memory, aborts when out of memory */
extern void *zmalloc(size_t size);
/* frees memory from zmalloc() */
extern void zfree(void *ptr);
/* frees the object's payload (string, list, set...) */
extern void freeObjectPayload(robj *o);
/* take and release the mutex of the I/O job queues */
extern void lockThreadedIO(void);
extern void unlockThreadedIO(void);
/* appends j to the queue the I/O threads consume; the main thread calls
 * freeIOJob(j) when the job is done or canceled */
extern void queueIOJob(iojob *j);

static void freeObject(struct kref *ref)
{
	robj *o = container_of(ref, robj, refcount);

	freeObjectPayload(o);
	zfree(o);
}

void incrRefCount(robj *o)
{
	kref_get(&o->refcount);
}

void decrRefCount(robj *o)
{
	kref_put(&o->refcount, freeObject);
}

void freeIOJob(iojob *j)
{
	if ((j->type == REDIS_IOJOB_PREPARE_SWAP ||
	     j->type == REDIS_IOJOB_DO_SWAP ||
	     j->type == REDIS_IOJOB_LOAD) && j->val != NULL) {
		if (kref_read(&j->val->refcount) == 1 &&
		    j->val->storage == REDIS_VM_SWAPPING)
			j->val->storage = REDIS_VM_MEMORY;
		decrRefCount(j->val);
	}
	decrRefCount(j->key);
	zfree(j);
}

int vmSwapObjectThreaded(robj *key, robj *val, redisDb *db)
{
	iojob *j;

	assert(key->storage == REDIS_VM_MEMORY);

	j = zmalloc(sizeof(*j));
	j->type = REDIS_IOJOB_PREPARE_SWAP;
	j->db = db;
	j->key = key;
	incrRefCount(key);
	j->id = j->val = val;
	incrRefCount(val);
	j->canceled = 0;
	j->thread = (pthread_t)-1;
	val->storage = REDIS_VM_SWAPPING;

	lockThreadedIO();
	queueIOJob(j);
	unlockThreadedIO();
	return REDIS_OK;
}
