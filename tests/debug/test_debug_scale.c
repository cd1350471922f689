/* SPDX-License-Identifier: MIT */
/*
 * test_debug_scale.c - debug mode's side table grows with the number of
 * tracked objects, so that finding a record examines one or two records
 * whatever the population (a fixed table's chains grow with it), and its
 * leak report walks every record.  Reads the table's shape through the
 * library's internal kref_debug_table_stats_().
 */
#include <fcntl.h>
#include <unistd.h>
#include <kref.h>
#include "tap.h"
#include "../../src/internal.h"

#define MAX_OBJECTS	(1L << 19)

static struct kref objs[MAX_OBJECTS];

static void keep_release(struct kref *ref)
{
	(void)ref;
}

/* kref_debug_report_leaks() with its report sent to /dev/null. */
static unsigned long quiet_leaks(void)
{
	int saved = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY);
	unsigned long leaks;

	dup2(null, STDERR_FILENO);
	leaks = kref_debug_report_leaks();
	dup2(saved, STDERR_FILENO);
	close(null);
	close(saved);
	return leaks;
}

int main(void)
{
	struct kref_debug_table_stats_ st;
	long n = 0;

	for (long target = 1L << 10; target <= MAX_OBJECTS; target <<= 3) {
		double probes;

		for (; n < target; n++)
			kref_init(&objs[n]);
		kref_debug_table_stats_(&st);
		probes = (double)st.probes / (double)st.records;
		ok(st.records == (size_t)n && probes <= 2.0,
		   "%ld live objects: %zu records in %zu buckets, %.2f records "
		   "examined per lookup on average", n, st.records, st.buckets,
		   probes);
	}
	for (long i = 0; i < n; i += 4096)	/* one in 4096: their history */
		kref_get(&objs[i]);
	is(quiet_leaks(), n, "the leak report walks every record");
	for (long i = 0; i < n; i++)
		kref_put(&objs[i], keep_release);
	for (long i = 0; i < n; i += 4096)
		kref_put(&objs[i], keep_release);
	is(quiet_leaks(), 0, "  and finds none once they are released");
	kref_debug_table_stats_(&st);
	ok(st.records == st.released && st.released == 65536,
	   "the 65,536 most recently released records are kept, no more");
	return done_testing();
}
