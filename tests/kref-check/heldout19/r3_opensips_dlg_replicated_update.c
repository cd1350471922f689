/* SPDX-License-Identifier: MIT */
/*
 * Project: OpenSIPS/opensips
 * Path: modules/dialog/dlg_replication.c
 * Fix: 0e85dd69f9d9ead1363e2afe8f6b4f0d3293f4db ("dialog: Fix two referencing issues")
 * Bug: dlg_replicated_update() looks the dialog up in its hash entry under
 * the entry lock, then drops the lock and reads the replicated profiles
 * into the dialog without holding a reference of its own, so a concurrent
 * final unref_dlg() (which takes the same entry lock) can free it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

#define DLG_FLAG_VP_CHANGED	(1 << 8)

struct dlg_cell {
	struct kref ref;
	struct dlg_cell *next;
	struct dlg_cell *prev;
	unsigned int h_entry;
	char *callid;
	int state;
	unsigned int flags;
	unsigned int user_flags;
};

struct dlg_entry {
	pthread_mutex_t lock;
	struct dlg_cell *first;
	struct dlg_cell *last;
};

struct dlg_table {
	unsigned int size;
	struct dlg_entry *entries;
};

extern struct dlg_table *d_table;

/* hashes a Call-ID into the dialog table */
extern unsigned int dlg_hash(const char *callid);
/* parses the replicated profile string and links the dialog into them */
extern void read_dialog_profiles(char *b, int l, struct dlg_cell *dlg,
				 int double_check, int replicated);
/* unlinks the dialog from its entry's list (entry lock held) */
extern void unlink_unsafe_dlg(struct dlg_entry *d_entry, struct dlg_cell *dlg);
/* frees the dialog's legs, values and profile links, then the cell */
extern void destroy_dlg(struct dlg_cell *dlg);

static inline void dlg_lock(struct dlg_table *table, struct dlg_entry *entry)
{
	(void)table;
	pthread_mutex_lock(&entry->lock);
}

static inline void dlg_unlock(struct dlg_table *table, struct dlg_entry *entry)
{
	(void)table;
	pthread_mutex_unlock(&entry->lock);
}

/* the caller holds the entry lock */
static inline void ref_dlg_unsafe(struct dlg_cell *dlg, unsigned int cnt)
{
	while (cnt--)
		kref_get(&dlg->ref);
}

static void dlg_release(struct kref *ref)
{
	struct dlg_cell *dlg = container_of(ref, struct dlg_cell, ref);
	struct dlg_entry *d_entry = &d_table->entries[dlg->h_entry];

	unlink_unsafe_dlg(d_entry, dlg);
	pthread_mutex_unlock(&d_entry->lock);
	destroy_dlg(dlg);
}

void unref_dlg(struct dlg_cell *dlg, unsigned int cnt)
{
	struct dlg_entry *d_entry = &d_table->entries[dlg->h_entry];

	while (cnt--)
		kref_put_mutex(&dlg->ref, dlg_release, &d_entry->lock);
}

/* walks the entry's list; the entry lock is held; borrowed pointer */
static int get_dlg_unsafe(struct dlg_entry *d_entry, const char *callid,
			  struct dlg_cell **dlg)
{
	struct dlg_cell *cell;

	for (cell = d_entry->first; cell; cell = cell->next) {
		if (strcmp(cell->callid, callid) == 0) {
			*dlg = cell;
			return 0;
		}
	}
	return -1;
}

int dlg_replicated_update(const char *call_id, int state,
			  unsigned int user_flags, char *profiles)
{
	struct dlg_cell *dlg;
	struct dlg_entry *d_entry;
	unsigned int h_entry;

	h_entry = dlg_hash(call_id);
	d_entry = &d_table->entries[h_entry];

	dlg_lock(d_table, d_entry);

	if (get_dlg_unsafe(d_entry, call_id, &dlg) != 0) {
		/* the real code builds a new dialog here */
		dlg_unlock(d_table, d_entry);
		return -1;
	}

	dlg->state = state;
	dlg->user_flags = user_flags;
	dlg->flags |= DLG_FLAG_VP_CHANGED;

	dlg_unlock(d_table, d_entry); /* expect: rule 3 */

	if (profiles && profiles[0])
		read_dialog_profiles(profiles, (int)strlen(profiles), dlg, 1, 1);

	return 0;
}
