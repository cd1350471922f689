/* SPDX-License-Identifier: MIT */
/*
 * Project: FRRouting/frr (from Quagga)
 * Path:    ospfd/ospf_lsa.c
 * Fix:     6634974d68b8cc78cdde1104636fe97d7e310845
 * Bug:     ospf_lsa_refresh_walker() drops the refresh queue's lock on each
 *          LSA as it moves it to a temporary list, then keeps using the LSA
 *          (clears refresh_list, refreshes it) without holding any lock.
 */
#include <kref.h>
#include <stddef.h>

#define OSPF_LSA_REFRESHER_SLOTS	((3600 + 10) / 10)

struct listnode {
	struct listnode *next;
	void *data;
};

struct list {
	struct listnode *head;
};

/* An LSA: its lock count is the kref. */
struct ospf_lsa {
	struct kref lock;
	int refresh_list;	/* refresh queue slot, or -1 */
	unsigned int flags;
};

struct ospf {
	struct {
		struct list *qs[OSPF_LSA_REFRESHER_SLOTS];
		int index;
	} lsa_refresh_queue;
};

struct thread {
	void *arg;
};

/* Allocates an empty list (aborts on failure). */
extern struct list *list_new(void);
/* Appends data to the list; stores the pointer as is. */
extern void listnode_add(struct list *list, void *data);
/* Unlinks and frees one node; the data is left alone. */
extern void list_delete_node(struct list *list, struct listnode *node);
/* Frees the list head (nodes already gone). */
extern void list_free(struct list *list);
/* Frees the list and its nodes; the data is left alone. */
extern void list_delete(struct list *list);
/* Frees the LSA and its data (ospf_lsa_free). */
extern void ospf_lsa_free(struct ospf_lsa *lsa);
/* Picks the refresh slot from the LSA's age and a random jitter. */
extern int ospf_refresher_slot(struct ospf *ospf, struct ospf_lsa *lsa);
/* Returns the slot the walker must stop at, from the elapsed time. */
extern int ospf_refresher_next_index(struct ospf *ospf);
/* Re-arms the walker timer (thread_add_timer). */
extern void ospf_refresher_schedule(struct ospf *ospf);
/* Originates a new instance of the LSA; reads and re-registers lsa. */
extern void ospf_lsa_refresh(struct ospf *ospf, struct ospf_lsa *lsa);

static void ospf_lsa_release(struct kref *kref)
{
	ospf_lsa_free(container_of(kref, struct ospf_lsa, lock));
}

struct ospf_lsa *ospf_lsa_lock(struct ospf_lsa *lsa)
{
	kref_get(&lsa->lock);
	return lsa;
}

/* Drops one lock; on the last one frees the LSA and clears *lsa. */
void ospf_lsa_unlock(struct ospf_lsa **lsa)
{
	if (!lsa || !*lsa)
		return;
	if (kref_put(&(*lsa)->lock, ospf_lsa_release))
		*lsa = NULL;
}

void ospf_refresher_register_lsa(struct ospf *ospf, struct ospf_lsa *lsa)
{
	int index;

	if (lsa->refresh_list >= 0)
		return;

	index = ospf_refresher_slot(ospf, lsa);
	if (!ospf->lsa_refresh_queue.qs[index])
		ospf->lsa_refresh_queue.qs[index] = list_new();
	listnode_add(ospf->lsa_refresh_queue.qs[index],
		     ospf_lsa_lock(lsa)); /* lsa_refresh_queue */
	lsa->refresh_list = index;
}

int ospf_lsa_refresh_walker(struct thread *t)
{
	struct ospf *ospf = t->arg;
	struct list *refresh_list;
	struct list *lsa_to_refresh = list_new();
	struct listnode *node, *nnode;
	struct ospf_lsa *lsa;
	int i;

	i = ospf->lsa_refresh_queue.index;
	ospf->lsa_refresh_queue.index = ospf_refresher_next_index(ospf);

	for (; i != ospf->lsa_refresh_queue.index;
	     i = (i + 1) % OSPF_LSA_REFRESHER_SLOTS) {
		refresh_list = ospf->lsa_refresh_queue.qs[i];
		ospf->lsa_refresh_queue.qs[i] = NULL;

		if (!refresh_list)
			continue;

		for (node = refresh_list->head; node; node = nnode) {
			nnode = node->next;
			lsa = node->data;

			list_delete_node(refresh_list, node);
			lsa->refresh_list = -1;
			listnode_add(lsa_to_refresh, lsa);
		}
		list_free(refresh_list);
	}

	ospf_refresher_schedule(ospf);

	for (node = lsa_to_refresh->head; node; node = nnode) {
		nnode = node->next;
		lsa = node->data;
		ospf_lsa_refresh(ospf, lsa);
		/* lsa_refresh_queue's lock, carried by lsa_to_refresh */
		ospf_lsa_unlock(&lsa);
	}

	list_delete(lsa_to_refresh);
	return 0;
}
