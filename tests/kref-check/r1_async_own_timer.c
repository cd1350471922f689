/* SPDX-License-Identifier: MIT */
/* Rule 1, kernel style: a probe session re-arms its own timer from the
 * sample path and takes no reference for the timer callback, which finds
 * the session with from_timer() and reads it when it fires.  Nothing stops
 * the timer synchronously: session_close() drops the last reference and
 * the callback then runs on freed memory. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct timer_list { unsigned long expires; };
int mod_timer(struct timer_list *t, unsigned long expires);
void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *), unsigned int flags);
#define from_timer(var, t, field) container_of(t, typeof(*var), field)
extern unsigned long jiffies;

struct probe_session {
	struct kref users;
	struct timer_list sample_timer;
	int channel;
	long last_value;
};

long probe_read_channel(int channel);

static void probe_session_free(struct kref *k)
{
	kfree(container_of(k, struct probe_session, users));
}

void session_close(struct probe_session *ps)
{
	kref_put(&ps->users, probe_session_free);
}

static void probe_sample_fire(struct timer_list *t)
{
	struct probe_session *ps = from_timer(ps, t, sample_timer);

	ps->last_value = probe_read_channel(ps->channel);
}

struct probe_session *session_open(int channel)
{
	struct probe_session *ps = kzalloc(sizeof(*ps), GFP_KERNEL);

	if (!ps)
		return NULL;
	kref_init(&ps->users);
	ps->channel = channel;
	timer_setup(&ps->sample_timer, probe_sample_fire, 0);
	return ps;
}

void session_sample_later(struct probe_session *ps, unsigned long delay)
{
	mod_timer(&ps->sample_timer, jiffies + delay);	/* expect: rule 1 */
}
