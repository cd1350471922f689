/* SPDX-License-Identifier: MIT */
/*
 * test_cleanup_example.c - examples/cleanup.c's two session_attach()
 * versions, by hand and with cleanup.h, down every path: no such user, no
 * such device, out of memory, device busy, not allowed, and success.  From
 * the same state both must return the same error and leave every count
 * where the other does: user and device references back to what the
 * registry holds (one more each for an attached session), the device lock
 * free, no session left allocated on failure.
 *
 * Build: examples/cleanup.c
 */
#include <errno.h>
#include <stdlib.h>
#include "cleanup.h"
#include "tap.h"

static struct registry reg = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void setup(void)
{
	for (int i = 0; i < 3; i++) {
		struct user *u = calloc(1, sizeof(*u));
		struct device *d = calloc(1, sizeof(*d));

		if (!u || !d)
			BAIL_OUT("out of memory");
		kref_init(&u->ref);
		u->id = i;
		kref_init(&d->ref);
		pthread_mutex_init(&d->lock, NULL);
		d->id = i;
		d->owner = i;
		d->shared = i == 2;
		reg.users[i] = u;
		reg.devs[i] = d;
	}
}

static void teardown(void)
{
	for (int i = 0; i < 3; i++) {
		user_put(reg.users[i]);
		device_put(reg.devs[i]);
	}
}

static int lock_free(struct device *d)
{
	if (pthread_mutex_trylock(&d->lock))
		return 0;
	pthread_mutex_unlock(&d->lock);
	return 1;
}

/* Every count as the registry alone leaves it, plus one per attached
 * session on its user and device. */
static int counts_consistent(void)
{
	for (int i = 0; i < 3; i++) {
		unsigned int u = 1, d = 1;

		for (int j = 0; j < 3; j++) {
			struct session *s = reg.devs[j]->session;

			u += s && s->user == reg.users[i];
			d += s && s->dev == reg.devs[i];
		}
		if (kref_read(&reg.users[i]->ref) != u ||
		    kref_read(&reg.devs[i]->ref) != d || !lock_free(reg.devs[i]))
			return 0;
	}
	return 1;
}

typedef int attach_fn(struct registry *, int, int, struct session **);

struct path {
	const char *what;
	int uid, did, fail_alloc, busy, want;
};

static const struct path paths[] = {
	{ "no such user", 7, 0, 0, 0, -ENOENT },
	{ "no such device", 0, 7, 0, 0, -ENODEV },
	{ "out of memory", 0, 0, 1, 0, -ENOMEM },
	{ "device busy", 1, 1, 0, 1, -EBUSY },
	{ "not the owner", 0, 1, 0, 0, -EPERM },
	{ "attached", 1, 1, 0, 0, 0 },
	{ "attached to a shared device", 0, 2, 0, 0, 0 },
};

static void run(const char *version, attach_fn *attach)
{
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		const struct path *p = &paths[i];
		struct session *busy = NULL, *s = NULL;
		int ret, live = sessions_allocated;

		if (p->busy && attach(&reg, p->uid, p->did, &busy) != 0)
			BAIL_OUT("cannot make the device busy");
		session_alloc_fails = p->fail_alloc;
		ret = attach(&reg, p->uid, p->did, &s);
		is(ret, p->want, "%s, %s: %d", version, p->what, p->want);
		ok(counts_consistent() &&
		   sessions_allocated == live + (busy != NULL) + (ret == 0),
		   "  every reference and lock given back but the session's");
		if (ret == 0) {
			ok(s && s->user == reg.users[p->uid] &&
			   s->dev == reg.devs[p->did] && s->dev->session == s,
			   "  the session holds its user and device");
			session_detach(s);
		}
		if (busy)
			session_detach(busy);
		ok(counts_consistent() && sessions_allocated == live,
		   "  and after detaching, the counts are back");
	}
}

int main(void)
{
	setup();
	run("by hand", session_attach_manual);
	run("cleanup.h", session_attach_scoped);
	teardown();
	return done_testing();
}
