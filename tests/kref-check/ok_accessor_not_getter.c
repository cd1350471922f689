/* SPDX-License-Identifier: MIT */
/* Correct, kernel style: to_printer() is container_of, not a getter.  The
 * pointer it returns is the caller's own, so returning early without a put
 * leaks nothing, even though other paths put the printer (issue 18). */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct function { int id; };

struct printer {
	struct kref kref;
	struct function func;
	int interface;
	int online;
};

static void printer_release(struct kref *kref)
{
	kfree(container_of(kref, struct printer, kref));
}

static inline struct printer *to_printer(struct function *f)
{
	return container_of(f, struct printer, func);
}

int printer_bind(struct function *f, int id)
{
	struct printer *p = to_printer(f);

	if (id < 0)
		return id;
	p->interface = id;
	if (!p->online) {
		kref_put(&p->kref, printer_release);
		return -ENODEV;
	}
	return 0;
}
