/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: redis/redis commit
 * 3a7b1702056673d05916574064fdaf6ae84967b1 "modules/RM_OpenKey: avoid
 * decrRefCount obj twice", src/module.c, RM_OpenKey().  The key name is
 * the module's object (the module later frees it, or automatic memory
 * management does); RM_OpenKey() only takes a reference for the handle it
 * builds.  When a read-only open finds no key, it returned NULL after a
 * decrRefCount(keyname) it does not own: a put of a reference not owned,
 * and a double decrement when the module frees its string.  The fix removes
 * that decrRefCount().  robj's refcount written with a kref.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct redisObject { struct kref refcount; int type; void *ptr; } robj;
typedef struct redisDb redisDb;
typedef struct client { redisDb *db; } client;
typedef struct RedisModuleCtx { client *client; } RedisModuleCtx;

typedef struct RedisModuleKey {
	RedisModuleCtx *ctx;
	redisDb *db;
	robj *key;
	robj *value;
	void *iter;
	int mode;
} RedisModuleKey;

#define REDISMODULE_READ (1 << 0)
#define REDISMODULE_WRITE (1 << 1)
#define REDISMODULE_AM_KEY 0

/* Return the value stored at key, or NULL; no reference is taken. */
extern robj *lookupKeyWrite(redisDb *db, robj *key);
extern robj *lookupKeyRead(redisDb *db, robj *key);
extern void signalModifiedKey(redisDb *db, robj *key);
/* Records ptr for automatic release when the module command returns. */
extern void RM_AutoMemoryAdd(RedisModuleCtx *ctx, int type, void *ptr);
extern void RM_AutoMemoryFreed(RedisModuleCtx *ctx, int type, void *ptr);
extern void *zmalloc(size_t size);
extern void zfree(void *ptr);

static void freeObject(struct kref *ref)
{
	free(container_of(ref, robj, refcount));
}

void incrRefCount(robj *o)
{
	kref_get(&o->refcount);
}

void decrRefCount(robj *o)
{
	kref_put(&o->refcount, freeObject);
}

void *RM_OpenKey(RedisModuleCtx *ctx, robj *keyname, int mode)
{
	RedisModuleKey *kp;
	robj *value;

	if (mode & REDISMODULE_WRITE) {
		value = lookupKeyWrite(ctx->client->db, keyname);
	} else {
		value = lookupKeyRead(ctx->client->db, keyname);
		if (value == NULL) {
			decrRefCount(keyname); /* expect: rule 2 */
			return NULL;
		}
	}

	/* Setup the key handle. */
	kp = zmalloc(sizeof(*kp));
	kp->ctx = ctx;
	kp->db = ctx->client->db;
	kp->key = keyname;
	incrRefCount(keyname);
	kp->value = value;
	kp->iter = NULL;
	kp->mode = mode;
	RM_AutoMemoryAdd(ctx, REDISMODULE_AM_KEY, kp);
	return (void *)kp;
}

void RM_CloseKey(RedisModuleKey *key)
{
	if (key == NULL)
		return;
	if (key->mode & REDISMODULE_WRITE)
		signalModifiedKey(key->db, key->key);
	decrRefCount(key->key);
	RM_AutoMemoryFreed(key->ctx, REDISMODULE_AM_KEY, key);
	zfree(key);
}
