/* SPDX-License-Identifier: MIT */
/* Correct: a work item that holds no reference (it is cancelled before the
 * object can go) is cancelled; nothing to put for it. */
#include <stdbool.h>
#include <kref.h>

struct work_struct { void (*func)(struct work_struct *work); };
bool cancel_work_sync(struct work_struct *work);

struct port { struct kref ref; struct work_struct poll; int stopped; };

void port_stop(struct port *p)
{
	p->stopped = 1;
	cancel_work_sync(&p->poll);
}
