/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: ceph/ceph commit
 * 8c8944b2c45ca9dc5b8fd4db1590e1d24206c0b3 (os/bluestore; fixes tracker
 * 24211: "make lookup fail if nref == 0"),
 * src/os/bluestore/BlueStore.h and BlueStore.cc, SharedBlobSet::lookup()
 * and SharedBlob::put().  put() drops nref without the set's lock and, at
 * zero, takes the lock to remove the blob from the set; meanwhile lookup()
 * finds it under the lock and takes a new reference (nref 0 -> 1), so two
 * threads each reach zero and both try to remove and free it.  The fix
 * makes lookup fail when nref is 0.  C++ written as C: the intrusive
 * SharedBlobRef as explicit get and put, nref as struct kref.
 */
#include <stdlib.h>
#include <stdint.h>
#include <pthread.h>
#include <kref.h>

struct SharedBlobSet;
struct SharedBlob {
	struct kref nref;
	uint64_t sbid;
	struct SharedBlobSet *parent_set;
};

struct SharedBlobSet {
	pthread_mutex_t lock;
	struct sb_map *sb_map;
};

/* Returns the blob for sbid in the map (borrowed), or NULL. */
extern struct SharedBlob *sb_map_find(struct sb_map *m, uint64_t sbid);
extern void sb_map_erase(struct sb_map *m, uint64_t sbid);

static void shared_blob_release(struct kref *ref)
{
	struct SharedBlob *sb = container_of(ref, struct SharedBlob, nref);
	struct SharedBlobSet *set = sb->parent_set;

	pthread_mutex_lock(&set->lock);
	sb_map_erase(set->sb_map, sb->sbid);
	pthread_mutex_unlock(&set->lock);
	free(sb);
}

void SharedBlob_put(struct SharedBlob *sb)
{
	kref_put(&sb->nref, shared_blob_release);
}

struct SharedBlob *SharedBlobSet_lookup(struct SharedBlobSet *set, uint64_t sbid)
{
	struct SharedBlob *sb;

	pthread_mutex_lock(&set->lock);
	sb = sb_map_find(set->sb_map, sbid);
	if (sb)
		kref_get(&sb->nref); /* expect: rule 3 */
	pthread_mutex_unlock(&set->lock);
	return sb;
}
