/* SPDX-License-Identifier: MIT */
/* Rule 1 look-alike, kernel style: the same probe session and timer, but
 * session_close() stops the timer synchronously (del_timer_sync) before
 * it drops its reference, so the callback never outlives the session and
 * needs no reference of its own. */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct timer_list { unsigned long expires; };
int mod_timer(struct timer_list *t, unsigned long expires);
int del_timer_sync(struct timer_list *t);
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
	del_timer_sync(&ps->sample_timer);
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
	mod_timer(&ps->sample_timer, jiffies + delay);
}
