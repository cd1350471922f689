/* SPDX-License-Identifier: MIT */
/* Correct: the registry holds a reference to each object it lists, so a
 * lookup under the registry lock can never find one whose count reached 0;
 * objects leave the registry (dropping its reference) before their last
 * put, which therefore needs no lock. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

#define NSLOTS 32

struct account {
	struct kref ref;
	int id;
	long balance;
};

struct registry {
	pthread_mutex_t lock;
	struct account *slots[NSLOTS];
};

static void account_release(struct kref *ref)
{
	free(container_of(ref, struct account, ref));
}

void account_put(struct account *a)
{
	kref_put(&a->ref, account_release);
}

struct account *account_lookup(struct registry *reg, int id)
{
	struct account *a = NULL;

	pthread_mutex_lock(&reg->lock);
	if (id >= 0 && id < NSLOTS && reg->slots[id]) {
		a = reg->slots[id];
		kref_get(&a->ref);
	}
	pthread_mutex_unlock(&reg->lock);
	return a;
}

int account_add(struct registry *reg, int id)
{
	struct account *a;

	if (id < 0 || id >= NSLOTS)
		return -EINVAL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	kref_init(&a->ref);		/* the registry's reference */
	a->id = id;
	pthread_mutex_lock(&reg->lock);
	if (reg->slots[id]) {
		pthread_mutex_unlock(&reg->lock);
		account_put(a);
		return -EEXIST;
	}
	reg->slots[id] = a;
	pthread_mutex_unlock(&reg->lock);
	return 0;
}

void account_remove(struct registry *reg, int id)
{
	struct account *a;

	pthread_mutex_lock(&reg->lock);
	a = reg->slots[id];
	reg->slots[id] = NULL;
	pthread_mutex_unlock(&reg->lock);
	if (a)
		account_put(a);		/* the registry's reference */
}
