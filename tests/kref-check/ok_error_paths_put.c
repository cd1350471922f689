/* SPDX-License-Identifier: MIT */
/* Correct: every error path after the lookup puts the reference, directly
 * or through a label that puts. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct account {
	struct kref ref;
	struct account *next;
	int id;
	long balance;
	int frozen;
};

static struct account *accounts;
static pthread_mutex_t accounts_lock = PTHREAD_MUTEX_INITIALIZER;

static void account_release(struct kref *ref)
{
	struct account *a = container_of(ref, struct account, ref);
	struct account **pp;

	for (pp = &accounts; *pp; pp = &(*pp)->next)
		if (*pp == a) {
			*pp = a->next;
			break;
		}
	pthread_mutex_unlock(&accounts_lock);
	free(a);
}

static struct account *account_find(int id)
{
	struct account *a;

	pthread_mutex_lock(&accounts_lock);
	for (a = accounts; a; a = a->next)
		if (a->id == id) {
			kref_get(&a->ref);
			break;
		}
	pthread_mutex_unlock(&accounts_lock);
	return a;
}

static void account_put(struct account *a)
{
	kref_put_mutex(&a->ref, account_release, &accounts_lock);
}

int withdraw(int id, long amount)
{
	struct account *a = account_find(id);
	int ret = 0;

	if (!a)
		return -ENOENT;
	if (a->frozen) {
		account_put(a);
		return -EPERM;
	}
	if (a->balance < amount) {
		ret = -EINVAL;
		goto out_put;
	}
	a->balance -= amount;
out_put:
	account_put(a);
	return ret;
}

int transfer(int from, int to, long amount)
{
	struct account *src, *dst;
	int ret = -ENOENT;

	src = account_find(from);
	if (!src)
		goto out;
	dst = account_find(to);
	if (!dst)
		goto put_src;
	ret = 0;
	src->balance -= amount;
	dst->balance += amount;
	account_put(dst);
put_src:
	account_put(src);
out:
	return ret;
}
