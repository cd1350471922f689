/* SPDX-License-Identifier: MIT */
/*
 * Project: eclipse-cyclonedds/cyclonedds
 * Path:    src/core/ddsi/src/ddsi_tkmap.c, src/core/ddsc/src/dds_instance.c
 * Fix:     179a35d1926e9fcaa1c30ee982911b5b45367906
 * Bug:     ddsi_tkmap_find_by_id() scans the lock-free key-to-instance hash
 *          and returns the instance it finds without taking a reference,
 *          so callers such as dds_instance_remove() use (and unref) an
 *          instance whose last reference another thread may be dropping.
 */
#include <kref.h>
#include <stdbool.h>
#include <stdint.h>

struct ddsi_serdata;
struct ut_chh;
struct ut_chhIter { void *opaque[2]; };

struct ddsi_tkmap {
	struct ut_chh *m_hh;	/* concurrent hash; readers take no lock */
};

struct ddsi_tkmap_instance {
	struct ddsi_serdata *m_sample;
	struct ddsi_tkmap *m_map;
	uint64_t m_iid;
	struct kref m_refc;
};

/* first/next entry of the concurrent hash: borrowed pointers, which stay
 * mapped only while the calling thread is awake (frees are deferred) */
extern struct ddsi_tkmap_instance *ut_chhIterFirst(struct ut_chh *hh, struct ut_chhIter *it);
extern struct ddsi_tkmap_instance *ut_chhIterNext(struct ut_chhIter *it);
/* removes the entry from the concurrent hash */
extern int ut_chhRemove(struct ut_chh *hh, const void *o);
/* frees the instance once every awake thread has moved on */
extern void gc_tkmap_instance(struct ddsi_tkmap_instance *tk);
/* looks the key up and returns the instance with a new reference, waiting
 * out an entry that is being deleted; NULL if there is none */
extern struct ddsi_tkmap_instance *ddsi_tkmap_find(struct ddsi_serdata *sd, bool rd, bool create);
/* mark the calling thread as inside / outside a read-side section */
extern void thread_state_awake(void);
extern void thread_state_asleep(void);

static void ddsi_tkmap_instance_release(struct kref *kref)
{
	struct ddsi_tkmap_instance *tk =
		container_of(kref, struct ddsi_tkmap_instance, m_refc);

	ut_chhRemove(tk->m_map->m_hh, tk);
	gc_tkmap_instance(tk);
}

void ddsi_tkmap_instance_unref(struct ddsi_tkmap_instance *tk)
{
	kref_put(&tk->m_refc, ddsi_tkmap_instance_release);
}

struct ddsi_tkmap_instance *
ddsi_tkmap_find_by_id(struct ddsi_tkmap *map, uint64_t iid)
{
	struct ut_chhIter it;
	struct ddsi_tkmap_instance *tk;

	for (tk = ut_chhIterFirst(map->m_hh, &it); tk; tk = ut_chhIterNext(&it))
		if (tk->m_iid == iid)
			break;
	if (tk == NULL)
		return NULL;
	/* not being deleted: count it for the caller */
	if (kref_get_unless_zero(&tk->m_refc))
		return tk;
	/* being deleted or contended: let the key lookup sort it out */
	return ddsi_tkmap_find(tk->m_sample, false, false);
}

void dds_instance_remove(struct ddsi_tkmap *map, uint64_t handle)
{
	struct ddsi_tkmap_instance *inst;

	thread_state_awake();
	inst = ddsi_tkmap_find_by_id(map, handle);
	if (inst)
		ddsi_tkmap_instance_unref(inst);
	thread_state_asleep();
}
