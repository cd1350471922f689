/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: varnishcache/varnish-cache
 * commit c0dc75499a6bcfce29f29661da44595a520496f5 "Add a missing refcnt in
 * the case where we lost a collision while doing the lockless lookup.",
 * bin/varnishd/hash_critbit.c, hcb_lookup().  The lockless first try takes
 * a reference on the objhead it finds under the objhead's mutex; the
 * second try inserts under hcb_mtx, and when another thread's objhead won
 * the collision, it returns that winner without a reference while
 * hcb_deref() can drop the winner's last one and delete it.  The fix
 * bumps the winner's refcnt under hcb_mtx.  The objhead's refcnt written
 * with struct kref.
 */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

struct objhead {
	struct kref refcnt;
	pthread_mutex_t mtx;
	unsigned char *hash;
};

struct hcb_root;
static struct hcb_root *hcb_root;
static pthread_mutex_t hcb_mtx = PTHREAD_MUTEX_INITIALIZER;

/* Inserts noh if has_lock, else only looks; returns the objhead in the tree for its digest (noh if inserted), or NULL. */
extern struct objhead *hcb_insert(struct hcb_root *root, struct objhead *noh, int has_lock);
/* Removes oh from the tree; called with hcb_mtx held. */
extern void hcb_delete(struct hcb_root *root, struct objhead *oh);
/* Puts oh on the cool list, freed later by the cooler thread. */
extern void hcb_laylow(struct objhead *oh);
extern void HSH_Copy(const void *sp, struct objhead *noh);

static void hcb_objhead_release(struct kref *ref)
{
	struct objhead *oh = container_of(ref, struct objhead, refcnt);

	hcb_delete(hcb_root, oh);
	pthread_mutex_unlock(&hcb_mtx);
	hcb_laylow(oh);
}

int hcb_deref(struct objhead *oh)
{
	pthread_mutex_lock(&oh->mtx);
	kref_put_mutex(&oh->refcnt, hcb_objhead_release, &hcb_mtx);
	pthread_mutex_unlock(&oh->mtx);
	return 1;
}

struct objhead *hcb_lookup(const void *sp, struct objhead *noh)
{
	struct objhead *oh;
	int got;

	oh = hcb_insert(hcb_root, noh, 0);
	if (oh != NULL) {
		pthread_mutex_lock(&oh->mtx);
		got = kref_get_unless_zero(&oh->refcnt);
		pthread_mutex_unlock(&oh->mtx);
		if (got)
			return oh;
	}

	/* Try again, holding lock and fully ready objhead. */
	HSH_Copy(sp, noh);
	pthread_mutex_lock(&hcb_mtx);
	oh = hcb_insert(hcb_root, noh, 1);
	if (oh != noh) {
		free(noh->hash);
		noh->hash = NULL;
		kref_get(&oh->refcnt);
	}
	pthread_mutex_unlock(&hcb_mtx);
	return oh;
}
