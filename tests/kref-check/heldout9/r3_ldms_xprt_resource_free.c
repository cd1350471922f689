/* SPDX-License-Identifier: MIT */
/*
 * OVIS LDMS (ovis-hpc/ldms), fix d2e64dd5cd5c2e37a471885f8f978f564e69a2fa,
 * ldms/src/core/ldms_xprt.c: __ldms_xprt_resource_free() picks each rbd out
 * of the transport's tree under x->lock, drops that lock to work on the set,
 * and keeps using the rbd; ldms_xprt_set_delete() can meanwhile unlink it and
 * drop the tree's last reference.
 */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct rbn {
	struct rbn *left, *right, *parent;
	void *key;
};
struct rbt {
	struct rbn *root;
};
struct rbn *rbt_min(struct rbt *t);			/* leftmost node or NULL */
void rbt_del(struct rbt *t, struct rbn *n);		/* unlink a node */

enum ldms_rbd_type { LDMS_RBD_LOCAL, LDMS_RBD_REMOTE };

struct ldms_set {
	pthread_mutex_t lock;
};

struct ldms_xprt {
	pthread_mutex_t lock;
	struct rbt rbd_rbt;
};

struct ldms_rbuf_desc {
	struct kref ref;
	struct ldms_xprt *xprt;
	struct ldms_set *set;
	enum ldms_rbd_type type;
	struct rbn xprt_rbn;
};

#define RBN_RBD(n) container_of(n, struct ldms_rbuf_desc, xprt_rbn)

/* drops the references the rbd holds on its set; called with set->lock */
void __ldms_drop_rbd_set_refs(struct ldms_rbuf_desc *rbd);
/* puts the set's and the rbd's 'share_lookup' references */
void __put_share_lookup_ref(struct ldms_rbuf_desc *rbd);

static void __destroy_rbd(struct kref *ref)
{
	struct ldms_rbuf_desc *rbd = container_of(ref, struct ldms_rbuf_desc, ref);

	free(rbd);
}

/* Called with rbd->xprt->lock held. */
void __ldms_rbd_xprt_release(struct ldms_rbuf_desc *rbd)
{
	struct ldms_xprt *xprt = rbd->xprt;

	rbt_del(&xprt->rbd_rbt, &rbd->xprt_rbn);
	rbd->xprt = NULL;
	kref_put(&rbd->ref, __destroy_rbd);	/* "xprt_rbd_tree" */
}

/* The set-delete path, run from another thread. */
void ldms_xprt_set_delete_rbd(struct ldms_xprt *xprt, struct ldms_rbuf_desc *rbd)
{
	pthread_mutex_lock(&xprt->lock);
	if (rbd->xprt)
		__ldms_rbd_xprt_release(rbd);
	pthread_mutex_unlock(&xprt->lock);
	kref_put(&rbd->ref, __destroy_rbd);	/* "xprt_set_delete" */
}

/* Called with x->lock held. */
void __ldms_xprt_resource_free(struct ldms_xprt *x)
{
	struct rbn *rbn;
	struct ldms_rbuf_desc *rbd;
	struct ldms_set *set;

	while ((rbn = rbt_min(&x->rbd_rbt))) {
		rbd = RBN_RBD(rbn);
		set = rbd->set;
		if (set) {
			pthread_mutex_unlock(&x->lock);
			pthread_mutex_lock(&set->lock);
			__ldms_drop_rbd_set_refs(rbd); /* expect: rule 3 */
			pthread_mutex_unlock(&set->lock);
			pthread_mutex_lock(&x->lock);
		}
		if (rbd->type == LDMS_RBD_LOCAL)
			__put_share_lookup_ref(rbd);
		/* Make sure that we didn't lose a set delete race */
		if (!rbd->xprt)
			continue;
		__ldms_rbd_xprt_release(rbd);
	}
}
