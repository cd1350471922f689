/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (not a copy) of a refcount bug fixed in GlusterFS.
 *
 * Repository: gluster/glusterfs
 * Commit:     dc3fe006c57e0f332b07cf8207ccdbcbda0e1ac9
 * Title:      "perf/qr: Use a ref-ed data to extract content"
 * Path:       libglusterfs/src/dict.c
 * Function:   dict_get_with_ref()
 *
 * A dict_t maps keys to counted data_t values; the dict holds one
 * reference on each value and dict_del() drops it, under this->lock,
 * when it unlinks the pair.  dict_get_with_ref() (behind dict_get_int32()
 * and the other typed getters) found the pair with dict_lookup_common()
 * under this->lock, unlocked, and only then did data_ref(pair->value):
 * a dict_del() of the same key from another thread in that window frees
 * the pair and drops the value's last reference, so the getter reads a
 * freed pair and refs a freed value.  Fixed by taking the reference
 * inside the locked section.  (The same commit also makes
 * qr_content_extract() use dict_get_with_ref() instead of the unreffed
 * dict_get(); that half is not modelled here.)
 *
 * data_t's refcount (an int under data->lock) is modelled with a struct
 * kref, the dict's gf_lock_t with a pthread mutex.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

typedef struct _data {
	struct kref refcount;
	char *data;
	int32_t len;
} data_t;

typedef struct _data_pair {
	struct _data_pair *hash_next;
	data_t *value;			/* the dict's reference */
	char *key;
	uint32_t key_hash;
} data_pair_t;

typedef struct _dict {
	pthread_mutex_t lock;
	int32_t hash_size;
	data_pair_t **members;
} dict_t;

#define LOCK(l)		pthread_mutex_lock(l)
#define UNLOCK(l)	pthread_mutex_unlock(l)

extern uint32_t SuperFastHash(const char *data, int32_t len);
/* converts the value; 0 or -errno */
extern int data_to_int32_ptr(data_t *data, int32_t *val);

static void data_destroy(struct kref *kref)
{
	data_t *data = container_of(kref, data_t, refcount);

	free(data->data);
	free(data);
}

data_t *data_ref(data_t *this)
{
	kref_get(&this->refcount);
	return this;
}

void data_unref(data_t *this)
{
	kref_put(&this->refcount, data_destroy);
}

/* this->lock held */
static data_pair_t *dict_lookup_common(dict_t *this, const char *key,
				       uint32_t hash)
{
	data_pair_t *pair;

	for (pair = this->members[hash % this->hash_size]; pair;
	     pair = pair->hash_next)
		if (pair->key_hash == hash && strcmp(pair->key, key) == 0)
			return pair;
	return NULL;
}

void dict_del(dict_t *this, const char *key)
{
	uint32_t hash = SuperFastHash(key, strlen(key));
	data_pair_t **pp, *pair;

	LOCK(&this->lock);
	for (pp = &this->members[hash % this->hash_size]; (pair = *pp);
	     pp = &pair->hash_next) {
		if (pair->key_hash == hash && strcmp(pair->key, key) == 0) {
			*pp = pair->hash_next;
			data_unref(pair->value);
			free(pair->key);
			free(pair);
			break;
		}
	}
	UNLOCK(&this->lock);
}

int dict_get_with_ref(dict_t *this, const char *key, data_t **data)
{
	data_pair_t *pair;
	int ret = -ENOENT;
	uint32_t hash;

	if (!this || !key || !data)
		return -EINVAL;

	hash = SuperFastHash(key, strlen(key));

	LOCK(&this->lock);
	pair = dict_lookup_common(this, key, hash);
	if (pair) {
		ret = 0;
		*data = data_ref(pair->value);
	}
	UNLOCK(&this->lock);

	return ret;
}

int dict_get_int32(dict_t *this, const char *key, int32_t *val)
{
	data_t *data = NULL;
	int ret;

	ret = dict_get_with_ref(this, key, &data);
	if (ret != 0)
		goto err;

	ret = data_to_int32_ptr(data, val);
err:
	if (data)
		data_unref(data);
	return ret;
}
