/* SPDX-License-Identifier: MIT */
/*
 * Project: varnishcache/varnish-cache
 * Path: bin/varnishd/hash_critbit.c
 * Fix: 1afa1e8d8fd9936fb0e63f1065d92b97f69ece24
 * Bug: hcb_deref() dropped the objhead's count to zero first and only
 * then took hcb_mtx to remove it from the critbit tree, so the locked
 * lookup in hcb_lookup(), which takes its reference under hcb_mtx, could
 * find and re-reference an objhead whose last reference was gone.
 */
#include <pthread.h>
#include <stddef.h>
#include <kref.h>

#define DIGEST_LEN	32

struct objhead {
	struct kref	refcnt;
	unsigned char	digest[DIGEST_LEN];
	struct objhead	*coollist_next;
};

struct hcb_root {
	void		*origo;
};

static struct hcb_root hcb_root;
static pthread_mutex_t hcb_mtx = PTHREAD_MUTEX_INITIALIZER;

/*
 * finds noh's digest in the tree; with has_lock (hcb_mtx held) inserts noh
 * when it is absent; returns a borrowed pointer
 */
extern struct objhead *hcb_insert(struct hcb_root *root, struct objhead *noh,
				  int has_lock);
/* unlinks the objhead from the tree; hcb_mtx held */
extern void hcb_delete(struct hcb_root *root, struct objhead *oh);
/* queues the objhead on the cool list, freed later by hcb_cleaner(); hcb_mtx held */
extern void hcb_laylow(struct objhead *oh);

/* the last reference is gone; called with hcb_mtx held, unlocks it */
static void hcb_release(struct kref *kref)
{
	struct objhead *oh = container_of(kref, struct objhead, refcnt);

	/* Remove from tree while hcb_mtx keeps locked lookups out */
	hcb_delete(&hcb_root, oh);
	oh->digest[0] = 0;
	hcb_laylow(oh);
	pthread_mutex_unlock(&hcb_mtx);
}

int hcb_deref(struct objhead *oh)
{
	kref_put_mutex(&oh->refcnt, hcb_release, &hcb_mtx);
	return (1);
}

struct objhead *hcb_lookup(struct objhead *noh)
{
	struct objhead *oh;

	/* unlocked walk: the cleaner frees only objheads that cooled down */
	oh = hcb_insert(&hcb_root, noh, 0);
	if (oh != NULL && kref_get_unless_zero(&oh->refcnt))
		return (oh);

	/*
	 * Try again, holding lock and fully ready objhead, so that if
	 * somebody else beats us back, they do not get surprised.
	 */
	pthread_mutex_lock(&hcb_mtx);
	oh = hcb_insert(&hcb_root, noh, 1);
	if (oh != noh)
		kref_get(&oh->refcnt);
	pthread_mutex_unlock(&hcb_mtx);
	return (oh);
}
