/* SPDX-License-Identifier: MIT */
/* Rule 2: a lookup returns a reference; one error return forgets to put it,
 * while the normal path does. */
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

	if (!a)
		return -ENOENT;
	if (a->frozen)
		return -EPERM;	/* expect: rule 2 */
	if (a->balance < amount) {
		account_put(a);
		return -EINVAL;
	}
	a->balance -= amount;
	account_put(a);
	return 0;
}
