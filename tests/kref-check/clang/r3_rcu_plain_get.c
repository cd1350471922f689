/* SPDX-License-Identifier: MIT */
/* Rule 3: under RCU alone, a plain get can revive an object at zero. */
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
	if (s)
		kref_get(&s->ref);	/* expect: rule 3 */
	rcu_read_unlock();
	return s;
}
