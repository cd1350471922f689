/* SPDX-License-Identifier: MIT */
/*
 * Project: redis/redis
 * Path: redis.c, dict.c
 * Fix commit: 121796f792c4d8fdc06fe664d675ec16791f6818
 * Bug: SORT ... STORE stores the destination key object, which belongs to
 * the client's argument vector, into the database dictionary with
 * dictReplace() without incrRefCount(), so the key is freed with the
 * client's arguments while the dictionary still uses it.
 */
#include <stddef.h>
#include <stdlib.h>
#include <strings.h>
#include <kref.h>

typedef struct redisObject {
	struct kref refcount;		/* o->refcount */
	int type;
	void *ptr;
} robj;

typedef struct dict dict;

typedef struct redisDb {
	dict *dict;
} redisDb;

typedef struct redisClient {
	redisDb *db;
	int argc;
	robj **argv;	/* each holds one reference, dropped by resetClient() */
} redisClient;

struct redisServer {
	long long dirty;
};
extern struct redisServer server;

/* adds key -> val and adopts the caller's reference to both (the db dict
 * type's destructors decrRefCount() keys and values); when the key is
 * already there, frees the old value, stores val and keeps the old key */
extern int dictReplace(dict *d, void *key, void *val);
/* returns a new empty list object holding one reference */
extern robj *createListObject(void);
/* sorts the elements of the key c->argv[1], appends them to listObject
 * (taking a reference on each element) and returns how many it added */
extern long long sortIntoList(redisClient *c, robj *listObject);
/* sorts the elements of the key c->argv[1] and replies with them */
extern void sortReply(redisClient *c);
/* replies with an integer */
extern void addReplyLongLong(redisClient *c, long long ll);
/* frees the object's payload */
extern void freeObjectPayload(robj *o);

static void freeObject(struct kref *ref)
{
	robj *o = container_of(ref, robj, refcount);

	freeObjectPayload(o);
	free(o);
}

void incrRefCount(robj *o)
{
	kref_get(&o->refcount);
}

void decrRefCount(robj *o)
{
	kref_put(&o->refcount, freeObject);
}

void sortCommand(redisClient *c)
{
	robj *storekey = NULL;
	robj *listObject;
	long long outputlen;
	int j;

	for (j = 2; j < c->argc; j++) {
		int leftargs = c->argc - j - 1;

		if (!strcasecmp(c->argv[j]->ptr, "store") && leftargs >= 1) {
			storekey = c->argv[j + 1];
			j++;
		}
	}

	if (storekey == NULL) {
		sortReply(c);
		return;
	}

	/* STORE option specified, set the sorting result as a List object */
	listObject = createListObject();
	outputlen = sortIntoList(c, listObject);
	dictReplace(c->db->dict, storekey, listObject); /* expect: rule 1 */
	/* Note: we add 1 because the DB is dirty anyway since even if the
	 * SORT result is empty a new key is set and maybe the old content
	 * replaced. */
	server.dirty += 1 + outputlen;
	addReplyLongLong(c, outputlen);
}
