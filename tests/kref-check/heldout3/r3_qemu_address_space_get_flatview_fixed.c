/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: qemu/qemu commit
 * 092aa2fc65b7a35121616aad8f39d47b8f921618 (Paolo Bonzini; adds
 * atomic_fetch_inc_nonzero), memory.c, address_space_get_flatview(),
 * flatview_ref() and flatview_unref().  The reader loads
 * as->current_map under rcu_read_lock() and increments its count; a
 * writer that has just replaced current_map drops the old view's last
 * reference, which schedules flatview_destroy() with call_rcu().  If the
 * reader's increment comes after that drop, it revives a dead FlatView
 * (ref=1) that the RCU thread frees once the reader leaves its critical
 * section: a use-after-free of the returned view.  The fix makes
 * flatview_ref() an increment-unless-zero (atomic_fetch_inc_nonzero) and
 * retries the load until it succeeds.  FlatView's ref written here with
 * struct kref.
 */
#include <stdlib.h>
#include <kref.h>

struct rcu_head { struct rcu_head *next; void (*func)(struct rcu_head *head); };
typedef struct FlatRange FlatRange;
typedef struct FlatView {
	struct rcu_head rcu;
	struct kref ref;
	FlatRange *ranges;
	unsigned nr;
} FlatView;
typedef struct AddressSpace { FlatView *current_map; const char *name; } AddressSpace;

/* QEMU's RCU (util/rcu.c) */
void rcu_read_lock(void);
void rcu_read_unlock(void);
void call_rcu1(struct rcu_head *head, void (*func)(struct rcu_head *head));
#define atomic_rcu_read(ptr)		__atomic_load_n((ptr), __ATOMIC_CONSUME)
#define atomic_rcu_set(ptr, val)	__atomic_store_n((ptr), (val), __ATOMIC_RELEASE)

/* Unrefs the MemoryRegions of the ranges. */
void flatview_destroy_ranges(FlatView *view);
/* Renders the memory topology of the address space's root region. */
FlatView *generate_memory_topology(AddressSpace *as);

static void flatview_destroy(struct rcu_head *head)
{
	FlatView *view = container_of(head, FlatView, rcu);

	flatview_destroy_ranges(view);
	free(view);
}

static void flatview_release(struct kref *kref)
{
	FlatView *view = container_of(kref, FlatView, ref);

	call_rcu1(&view->rcu, flatview_destroy);
}

static int flatview_ref(FlatView *view)
{
	return kref_get_unless_zero(&view->ref);
}

static void flatview_unref(FlatView *view)
{
	kref_put(&view->ref, flatview_release);
}

FlatView *address_space_get_flatview(AddressSpace *as)
{
	FlatView *view;

	rcu_read_lock();
	do {
		view = atomic_rcu_read(&as->current_map);
		/* If somebody has replaced as->current_map concurrently,
		 * flatview_ref returns false. */
	} while (!flatview_ref(view));
	rcu_read_unlock();
	return view;
}

/* Writers hold the BQL. */
void address_space_update_topology(AddressSpace *as)
{
	FlatView *old_view = address_space_get_flatview(as);
	FlatView *new_view = generate_memory_topology(as);

	atomic_rcu_set(&as->current_map, new_view);
	flatview_unref(old_view);	/* the address space's reference */
	flatview_unref(old_view);	/* ours, from address_space_get_flatview() */
}
