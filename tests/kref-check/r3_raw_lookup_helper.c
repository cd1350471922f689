/* SPDX-License-Identifier: MIT */
/* Rule 3 split over two functions: the helper finds the node without a
 * lock or reference, and its caller takes the reference afterwards. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

#define NBUCKETS 32

struct inode_obj {
	struct kref kref;
	struct inode_obj *hash_next;
	unsigned long ino;
};

static struct inode_obj *inode_hash[NBUCKETS];
static pthread_spinlock_t inode_hash_lock;

static void inode_obj_release(struct kref *kref)
{
	struct inode_obj *in = container_of(kref, struct inode_obj, kref);
	struct inode_obj **pp = &inode_hash[in->ino % NBUCKETS];

	while (*pp && *pp != in)
		pp = &(*pp)->hash_next;
	if (*pp)
		*pp = in->hash_next;
	pthread_spin_unlock(&inode_hash_lock);
	free(in);
}

void iput(struct inode_obj *in)
{
	kref_put_lock(&in->kref, inode_obj_release, &inode_hash_lock);
}

static struct inode_obj *find_inode(unsigned long ino)
{
	struct inode_obj *in;

	for (in = inode_hash[ino % NBUCKETS]; in; in = in->hash_next)
		if (in->ino == ino)
			return in;
	return NULL;
}

struct inode_obj *iget(unsigned long ino)
{
	struct inode_obj *in = find_inode(ino);

	if (in)
		kref_get(&in->kref);	/* expect: rule 3 */
	return in;
}
