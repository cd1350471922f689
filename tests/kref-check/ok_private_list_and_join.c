/* SPDX-License-Identifier: MIT */
/* Correct: a get after adding to a private local list, and a get after the
 * thread was joined. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>
#include <linux/list.h>

struct pkt { struct kref ref; struct list_head node; int len; };
static void pkt_release(struct kref *r) { free(container_of(r, struct pkt, ref)); }

void list_splice(struct list_head *list, struct list_head *head);

/* Correct: a private batch list, handed over as a whole later. */
int batch_build(struct pkt **pkts, int n, struct list_head *out)
{
	LIST_HEAD(batch);
	int i;

	for (i = 0; i < n; i++) {
		list_add_tail(&pkts[i]->node, &batch);
		kref_get(&pkts[i]->ref);
	}
	list_splice(&batch, out);
	return n;
}

/* Correct: after the thread is joined nothing races the get. */
static void *counter(void *a) { struct pkt *p = a; p->len++; kref_put(&p->ref, pkt_release); return NULL; }
int count_then_keep(struct pkt *p)
{
	pthread_t t;
	kref_get(&p->ref);
	if (pthread_create(&t, NULL, counter, p)) {
		kref_put(&p->ref, pkt_release);
		return -1;
	}
	pthread_join(t, NULL);
	kref_get(&p->ref);
	return 0;
}
