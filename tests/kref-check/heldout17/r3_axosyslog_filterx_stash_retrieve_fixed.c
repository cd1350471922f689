/* SPDX-License-Identifier: MIT */
/*
 * Project: axoflow/axosyslog
 * Path:    lib/filterx/filterx-stashed-object.c
 * Fix:     a7a091e8fbf5ed2c99b74ddd0cc742f94383d04d
 * Bug:     filterx_stash_retrieve() loads the shared stash pointer and only
 *          then takes a reference on the stashed object, with nothing keeping
 *          it alive in between, while filterx_stash_store() swaps the pointer
 *          and drops the stash's reference to the old object.
 */
#include <kref.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

typedef struct _FilterXObject FilterXObject;

typedef struct _FilterXStashedObject
{
  struct kref ref_cnt;
  FilterXObject *object;	/* frozen, alive as long as the stashed object */
} FilterXStashedObject;

/* frees a frozen object together with its environment */
extern void filterx_env_free_frozen(FilterXObject *object);
/* wraps the stashed object into an object kept until the current eval
 * context ends; consumes the caller's stashed_object reference */
extern FilterXObject *filterx_stash_reference_new(FilterXStashedObject *stashed_object);

static void
filterx_stashed_object_free(struct kref *kref)
{
  FilterXStashedObject *self = container_of(kref, FilterXStashedObject, ref_cnt);

  filterx_env_free_frozen(self->object);
  free(self);
}

static FilterXStashedObject *
filterx_stashed_object_ref(FilterXStashedObject *self)
{
  kref_get(&self->ref_cnt);
  return self;
}

static void
filterx_stashed_object_unref(FilterXStashedObject *self)
{
  if (self)
    kref_put(&self->ref_cnt, filterx_stashed_object_free);
}

static FilterXStashedObject *
filterx_stashed_object_new(FilterXObject *object)
{
  FilterXStashedObject *self = calloc(1, sizeof(*self));

  if (!self)
    return NULL;
  kref_init(&self->ref_cnt);
  self->object = object;
  return self;
}

static pthread_rwlock_t stash_rwl = PTHREAD_RWLOCK_INITIALIZER;

FilterXObject *
filterx_stash_retrieve(FilterXStashedObject **stash)
{
  pthread_rwlock_rdlock(&stash_rwl);
  FilterXStashedObject *stashed_object = *stash;
  if (stashed_object)
    filterx_stashed_object_ref(stashed_object);
  pthread_rwlock_unlock(&stash_rwl);

  if (!stashed_object)
    return NULL;

  filterx_stash_reference_new(stashed_object);
  return stashed_object->object;
}

/* consumes `object` */
bool
filterx_stash_store(FilterXStashedObject **stash, FilterXObject *object)
{
  FilterXStashedObject *stashed_object = filterx_stashed_object_new(object);

  if (!stashed_object)
    return false;

  pthread_rwlock_wrlock(&stash_rwl);
  FilterXStashedObject *old_stashed_object = *stash;
  *stash = stashed_object;
  pthread_rwlock_unlock(&stash_rwl);

  filterx_stashed_object_unref(old_stashed_object);
  return true;
}
