/* SPDX-License-Identifier: MIT */
/* Rule 3 kept: under RCU, the get fails on an object at zero. */
#include <stdlib.h>
#include <urcu-bp.h>
#include <kref.h>

struct sess { struct kref ref; int id; };

static struct sess *current_sess;

struct sess *sess_current(void)
{
	struct sess *s;

	rcu_read_lock();
	s = rcu_dereference(current_sess);
	if (s && !kref_get_unless_zero(&s->ref))
		s = NULL;
	rcu_read_unlock();
	return s;
}
