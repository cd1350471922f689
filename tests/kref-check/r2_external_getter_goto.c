/* SPDX-License-Identifier: MIT */
/* Rule 2: the reference comes from a function of another file, and an
 * error jumps past the put. */
#include <errno.h>
#include <stdlib.h>
#include <kref.h>

struct res { struct kref kref; int busy; };
static void res_release(struct kref *k) { free(container_of(k, struct res, kref)); }
struct res *res_find(int id);	/* returns a reference */
int res_use(struct res *r);

/* Violation: leaks in the switch's error case via goto past the put. */
int res_op(int id, int op)
{
	struct res *r = res_find(id);
	int ret;

	if (!r)
		return -ENOENT;
	if (op < 0) {
		ret = -EINVAL;
		goto out;	/* expect: rule 2 */
	}
	ret = res_use(r);
	kref_put(&r->kref, res_release);
out:
	return ret;
}

/* Correct: error paths put through the label. */
int res_op_ok(int id, int op)
{
	struct res *r = res_find(id);
	int ret = 0;

	if (!r)
		return -ENOENT;
	if (op < 0) {
		ret = -EINVAL;
		goto put;
	}
	if (r->busy) {
		ret = -EBUSY;
		goto put;
	}
	ret = res_use(r);
put:
	kref_put(&r->kref, res_release);
	return ret;
}
