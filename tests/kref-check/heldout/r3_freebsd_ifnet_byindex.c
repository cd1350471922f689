/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: freebsd/freebsd-src svn r220317
 * "When removing ifnets, we should first remove the
 * reference to ifnet from the interface index, then decrease refcount, not
 * vice versa.", sys/net/if.c, if_free_type(), if_free_internal() and
 * ifnet_byindex_ref().  The final release drops the count without the
 * ifnet lock and only then clears the index slot under IFNET_WLOCK; a
 * reader in ifnet_byindex_ref() can find the zero-referenced ifnet and bump
 * its count with a plain if_ref(), and both then free it.
 */
#include <stdlib.h>
#include <pthread.h>
#include <kref.h>

struct ifnet { struct kref if_refcount; unsigned short if_index; };

static pthread_rwlock_t ifnet_rwlock = PTHREAD_RWLOCK_INITIALIZER;
static struct ifnet *ifindex_table[256];

static void if_free_internal(struct kref *kref)
{
	struct ifnet *ifp = container_of(kref, struct ifnet, if_refcount);

	pthread_rwlock_wrlock(&ifnet_rwlock);	/* IFNET_WLOCK() */
	ifindex_table[ifp->if_index] = NULL;	/* ifnet_setbyindex(ifp->if_index, NULL) */
	pthread_rwlock_unlock(&ifnet_rwlock);
	free(ifp);
}

void if_ref(struct ifnet *ifp)
{
	kref_get(&ifp->if_refcount);
}

void if_free_type(struct ifnet *ifp)
{
	kref_put(&ifp->if_refcount, if_free_internal);	/* expect: rule 3 (the other half) */
}

struct ifnet *ifnet_byindex_ref(unsigned short idx)
{
	struct ifnet *ifp;

	pthread_rwlock_rdlock(&ifnet_rwlock);	/* IFNET_RLOCK_NOSLEEP() */
	ifp = ifindex_table[idx];
	if (ifp == NULL) {
		pthread_rwlock_unlock(&ifnet_rwlock);
		return NULL;
	}
	if_ref(ifp);	/* expect: rule 3 */
	pthread_rwlock_unlock(&ifnet_rwlock);
	return ifp;
}
