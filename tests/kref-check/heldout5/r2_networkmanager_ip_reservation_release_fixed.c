/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: NetworkManager/NetworkManager
 * commit 0d3fef3bcda7e288450332ff0dbb57515ca8199c "core: fix potential use
 * after free", src/core/nm-netns.c, nm_netns_ip_reservation_release().
 * While a reservation table exists it holds a reference on the NMNetns
 * (taken in nm_netns_ip_reservation_get() when the table is created).
 * Releasing the last reservation destroys the table and drops that
 * reference, which can be the last, and only then logs through _LOGD(),
 * which reads self: a use after the put (found by Coverity).  The fix logs
 * first.  GObject's ref_count written with a kref; one reservation type.
 */
#include <stdlib.h>
#include <stdint.h>
#include <kref.h>

typedef struct _GHashTable GHashTable;

typedef struct {
	struct kref ref_count;
	const char *log_prefix;
	GHashTable *ip_reservation;
} NMNetns;

typedef struct {
	NMNetns *_self;
	uint32_t addr;
	int _ref_count;
} NMNetnsIPReservation;

/* Logs at debug level with the namespace's prefix. */
extern void _nm_log_debug(const char *prefix, const char *fmt, ...);
#define _LOGD(...) _nm_log_debug(self->log_prefix, __VA_ARGS__)

extern GHashTable *g_hash_table_new(void);
extern void g_hash_table_unref(GHashTable *table);
extern void g_hash_table_add(GHashTable *table, void *key);
extern int g_hash_table_remove(GHashTable *table, const void *key);
extern unsigned int g_hash_table_size(GHashTable *table);
/* Picks a free address from the pool. */
extern uint32_t ip_reservation_pick_addr(GHashTable *table);

static void nm_netns_finalize(struct kref *ref)
{
	free(container_of(ref, NMNetns, ref_count));
}

static NMNetns *g_object_ref(NMNetns *self)
{
	kref_get(&self->ref_count);
	return self;
}

static void g_object_unref(NMNetns *self)
{
	kref_put(&self->ref_count, nm_netns_finalize);
}

NMNetnsIPReservation *nm_netns_ip_reservation_get(NMNetns *self)
{
	NMNetnsIPReservation *res;

	if (!self->ip_reservation) {
		self->ip_reservation = g_hash_table_new();
		g_object_ref(self);
	}

	res = calloc(1, sizeof(*res));
	res->addr = ip_reservation_pick_addr(self->ip_reservation);
	res->_ref_count = 1;
	res->_self = self;
	g_hash_table_add(self->ip_reservation, res);

	_LOGD("reserved IP address %u", res->addr);
	return res;
}

void nm_netns_ip_reservation_release(NMNetnsIPReservation *res)
{
	NMNetns *self = res->_self;
	GHashTable **table = &self->ip_reservation;

	if (res->_ref_count > 1) {
		res->_ref_count--;
		_LOGD("release IP address reservation %u (%d more references held)",
		      res->addr, res->_ref_count);
		return;
	}

	g_hash_table_remove(*table, res);

	_LOGD("release IP address reservation %u", res->addr);

	if (g_hash_table_size(*table) == 0) {
		g_hash_table_unref(*table);
		*table = NULL;
		g_object_unref(self);
	}

	res->_self = NULL;
	free(res);
}
