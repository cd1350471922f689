/* SPDX-License-Identifier: MIT */
/* Rule 2: the look-alike of ok_field_ref_holder_enqueued.c that puts its
 * lookup reference only at the end: the early exit for a call that does
 * not wait leaks it (the op's reference, op->part, is another one). */
#include <errno.h>
#include <stdlib.h>
#include <kref.h>

struct queue;
struct part { struct kref ref; int version; struct queue *ops; };
struct part_table;
struct op { struct part *part; int version; struct queue *replyq; int err; };

/* Returns the partition with a reference the caller must drop, or NULL. */
struct part *part_lookup(struct part_table *t, int id);
struct op *op_new(void);
/* Destroying the op drops its op->part reference. */
void op_destroy(struct op *op);
void q_enq(struct queue *q, struct op *op);
struct op *q_pop(struct queue *q, int timeout_ms);
struct queue *q_new(void);
void q_destroy(struct queue *q);

static void part_release(struct kref *ref)
{
	free(container_of(ref, struct part, ref));
}

static struct part *part_keep(struct part *p)
{
	kref_get(&p->ref);
	return p;
}

void part_put(struct part *p)
{
	kref_put(&p->ref, part_release);
}

int part_seek(struct part_table *t, int id, int timeout_ms)
{
	struct part *p = part_lookup(t, id);
	struct queue *replyq = NULL;
	struct op *op;
	int err;

	if (!p)
		return -ENOENT;
	op = op_new();
	op->version = ++p->version;
	op->part = part_keep(p);
	if (timeout_ms) {
		replyq = q_new();
		op->replyq = replyq;
	}
	q_enq(p->ops, op);

	if (!timeout_ms)
		return 0;	/* expect: rule 2 */
	op = q_pop(replyq, timeout_ms);
	q_destroy(replyq);
	part_put(p);
	if (!op)
		return -ETIMEDOUT;
	err = op->err;
	op_destroy(op);
	return err;
}
