/* SPDX-License-Identifier: MIT */
/*
 * Fixed twin of r3_freebsd_ifnet_byindex.c (own code): freebsd/freebsd-src
 * svn r220317, sys/net/if.c.  if_free_type() clears the index slot under
 * IFNET_WLOCK before it drops the reference, so a lookup can no longer find
 * an ifnet on its way to the final put.
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

	free(ifp);
}

void if_ref(struct ifnet *ifp)
{
	kref_get(&ifp->if_refcount);
}

void if_free_type(struct ifnet *ifp)
{
	pthread_rwlock_wrlock(&ifnet_rwlock);	/* IFNET_WLOCK() */
	ifindex_table[ifp->if_index] = NULL;	/* ifnet_setbyindex(ifp->if_index, NULL) */
	pthread_rwlock_unlock(&ifnet_rwlock);

	kref_put(&ifp->if_refcount, if_free_internal);
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
	if_ref(ifp);
	pthread_rwlock_unlock(&ifnet_rwlock);
	return ifp;
}
