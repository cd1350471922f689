/* SPDX-License-Identifier: MIT */
/* Rule 2, kernel style: a reference taken for each entry is not dropped on
 * the early-error return inside the walk. */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct route {
	struct list_head link;
	struct kref kref;
	int dest;
	int metric;
};

static LIST_HEAD(routes);
static DEFINE_MUTEX(routes_mutex);

static void route_free(struct kref *kref)
{
	struct route *r = container_of(kref, struct route, kref);

	list_del(&r->link);
	mutex_unlock(&routes_mutex);
	kfree(r);
}

static void route_put(struct route *r)
{
	kref_put_mutex(&r->kref, route_free, &routes_mutex);
}

int validate(struct route *r);

int revalidate_one(int dest)
{
	struct route *r, *found = NULL;
	int err;

	mutex_lock(&routes_mutex);
	list_for_each_entry(r, &routes, link) {
		if (r->dest == dest) {
			kref_get(&r->kref);
			found = r;
			break;
		}
	}
	mutex_unlock(&routes_mutex);
	if (!found)
		return -ENOENT;

	err = validate(found);
	if (err) {
		pr_err("route %d invalid\n", dest);
		return err;	/* expect: rule 2 */
	}
	found->metric++;
	route_put(found);
	return 0;
}
