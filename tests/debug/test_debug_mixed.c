/* SPDX-License-Identifier: MIT */
/*
 * test_debug_mixed.c - objects shared between a KREF_DEBUG translation
 * unit (this one) and one built without it (mixed_peer.c): counting is
 * always right; what debug mode reports is what docs/debug.md says.
 *
 * Build: mixed_peer.o
 */
#include <kref.h>
#include "child.h"
#include "mixed_peer.h"
#include "tap.h"

static int releases;

static void count_release(struct kref *ref)
{
	(void)ref;
	releases++;
}

static struct kref a, b, c;

/* Tracked here, used there, final put here: all seen, nothing reported. */
static int tracked_final_put_here(void)
{
	int last;

	kref_init(&a);
	peer_get_put(&a, count_release, 1000);
	peer_get(&a);
	peer_put(&a, count_release);
	kref_get(&a);
	kref_put(&a, count_release);
	last = kref_put(&a, count_release);
	fprintf(stderr, "last=%d releases=%d leaks=%lu\n", last, releases,
		kref_debug_report_leaks());
	return 0;
}

/* Initialised there: untracked, counted, never reported. */
static int untracked(void)
{
	int last;

	peer_init(&b);
	kref_get(&b);
	kref_put(&b, count_release);
	last = kref_put(&b, count_release);
	fprintf(stderr, "last=%d releases=%d leaks=%lu\n", last, releases,
		kref_debug_report_leaks());
	return 0;
}

/* Tracked here, final put there: released once, but debug mode never saw
 * the final put, so it reports the object as a leak (documented). */
static int tracked_final_put_there(void)
{
	int last;

	kref_init(&c);
	last = peer_put(&c, count_release);
	fprintf(stderr, "last=%d releases=%d leaks=%lu\n", last, releases,
		kref_debug_report_leaks());
	return 0;
}

/* The same, then the address is initialised again: the count there is 0,
 * so the object was released, unseen; the new one is tracked, no report. */
static struct kref d;

static int reinit_after_final_put_there(void)
{
	int last;

	kref_init(&d);
	peer_put(&d, count_release);
	kref_init(&d);
	kref_get(&d);
	kref_put(&d, count_release);
	last = kref_put(&d, count_release);
	fprintf(stderr, "last=%d releases=%d leaks=%lu\n", last, releases,
		kref_debug_report_leaks());
	return 0;
}

int main(void)
{
	int status = run_child(tracked_final_put_here, "1");

	ok(WIFEXITED(status) && strcmp(output, "last=1 releases=1 leaks=0\n") == 0,
	   "tracked object used by a non-debug unit: released once, no report");
	if (strcmp(output, "last=1 releases=1 leaks=0\n") != 0)
		diag("output:\n%s", output);
	status = run_child(untracked, "1");
	ok(WIFEXITED(status) && strcmp(output, "last=1 releases=1 leaks=0\n") == 0,
	   "object initialised by a non-debug unit: counted, untracked, no report");
	run_child(tracked_final_put_there, NULL);
	ok(strncmp(output, "kref: leak: object ", 19) == 0 &&
	   strstr(output, "last=1 releases=1 leaks=1\n"),
	   "final put in a non-debug unit: released once, reported as a leak");
	status = run_child(reinit_after_final_put_there, "1");
	ok(WIFEXITED(status) && strcmp(output, "last=1 releases=2 leaks=0\n") == 0,
	   "kref_init where the final put ran in a non-debug unit: no report");
	if (strcmp(output, "last=1 releases=2 leaks=0\n") != 0)
		diag("output:\n%s", output);
	return done_testing();
}
