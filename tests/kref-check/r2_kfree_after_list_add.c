/* SPDX-License-Identifier: MIT */
/* Rule 2, kernel style: the error path unlinks the port and kfrees it
 * after kref_init; it must put. */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>

struct port { struct kref kref; struct list_head node; char *name; };
static LIST_HEAD(ports);
static DEFINE_MUTEX(ports_lock);

static void port_release(struct kref *kref)
{
	struct port *p = container_of(kref, struct port, kref);
	kfree(p->name);
	kfree(p);
}

int port_hw_init(struct port *p);

int port_create(void)
{
	struct port *p;
	int err;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -1;
	kref_init(&p->kref);
	mutex_lock(&ports_lock);
	list_add(&p->node, &ports);
	mutex_unlock(&ports_lock);
	err = port_hw_init(p);
	if (err)
		goto err_free;
	return 0;
err_free:
	mutex_lock(&ports_lock);
	list_del(&p->node);
	mutex_unlock(&ports_lock);
	kfree(p);	/* expect: rule 2 */
	return err;
}
