/* SPDX-License-Identifier: MIT */
/*
 * demo.c - the three kref rules at work in a multi-threaded program.
 *
 *   1. Get before you hand a pointer off: an object shared with new threads.
 *   2. Put when done, free only in release: release runs once, last.
 *   3. Lookup and get under the lock the final put takes (kref_put_mutex).
 * Then one put too many, caught by libkref's report.
 */
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <kref.h>

/* ---- Rules 1 and 2: hand an object to threads ------------------------- */

struct job {
	struct kref ref;
	int input;
	atomic_int done;
};

static void job_release(struct kref *ref)
{
	struct job *job = container_of(ref, struct job, ref);

	printf("  release: all %d workers and main have put; freeing the job\n",
	       atomic_load(&job->done));
	free(job);
}

static void *job_worker(void *arg)
{
	struct job *job = arg;	/* we own one reference, taken for us */

	atomic_fetch_add(&job->done, job->input > 0);
	kref_put(&job->ref, job_release);
	return NULL;
}

static void demo_handoff(void)
{
	struct job *job = calloc(1, sizeof(*job));
	pthread_t t[3];
	int started = 0;

	printf("1. Handing one object to three threads (Rules 1 and 2)\n");
	if (!job)
		exit(1);
	kref_init(&job->ref);
	job->input = 7;
	for (int i = 0; i < 3; i++) {
		kref_get(&job->ref);	/* before the pointer leaves us */
		if (pthread_create(&t[started], NULL, job_worker, job) != 0) {
			kref_put(&job->ref, job_release);	/* not handed off */
			continue;
		}
		started++;
	}
	printf("  started %d workers, each holding its own reference\n", started);
	kref_put(&job->ref, job_release);	/* main is done with it */
	for (int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
}

/* ---- Rule 3: the global object, looked up under a mutex --------------- */

/*
 * The owner publishes a config, then drops its reference while a reader
 * still holds one; the reader's put is then the final one, and other
 * readers' lookups race it.  The holder waits until another reader has
 * found the config after the owner let go, so every version shows the race:
 * a lookup kept alive only by a reader's reference, then a final put that
 * takes the lock the lookups take, so none finds a config being freed.
 */
struct config {
	struct kref ref;
	int version;
	atomic_int held;	/* a reader has it and waits for the owner */
	atomic_int owner_put;	/* the owner has dropped its reference */
	atomic_int late;	/* lookups that found it after that */
};

static struct config *global_config;	/* protected by config_lock */
static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int configs_released, reader_final_puts;
static atomic_int lookups, late_lookups, missed_lookups;

/* Runs with config_lock held (kref_put_mutex): no lookup can find it now. */
static void config_release(struct kref *ref)
{
	struct config *c = container_of(ref, struct config, ref);

	if (global_config == c)
		global_config = NULL;
	pthread_mutex_unlock(&config_lock);
	free(c);
	atomic_fetch_add(&configs_released, 1);
}

static struct config *config_get(void)
{
	struct config *c;

	pthread_mutex_lock(&config_lock);
	c = global_config;
	if (c)
		kref_get(&c->ref);	/* safe: the final put needs this lock */
	pthread_mutex_unlock(&config_lock);
	return c;
}

static int config_put(struct config *c)
{
	return kref_put_mutex(&c->ref, config_release, &config_lock);
}

static atomic_int stop_readers;

static void *config_reader(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop_readers)) {
		struct config *c = config_get();

		if (!c) {
			atomic_fetch_add(&missed_lookups, 1);
			sched_yield();
			continue;
		}
		if (c->version <= 0)
			abort();
		atomic_fetch_add(&lookups, 1);
		if (atomic_load(&c->owner_put)) {
			atomic_fetch_add(&c->late, 1);
			atomic_fetch_add(&late_lookups, 1);
		} else if (!atomic_exchange(&c->held, 1)) {
			/* Hold it across the owner's put and a late lookup. */
			while (!atomic_load(&c->owner_put) || !atomic_load(&c->late))
				sched_yield();
		}
		if (config_put(c))
			atomic_fetch_add(&reader_final_puts, 1);
		sched_yield();	/* let the holder and the owner run */
	}
	return NULL;
}

static void demo_lookup(void)
{
	enum { READERS = 3, VERSIONS = 2000 };
	pthread_t t[READERS];

	printf("2. Three threads look up a global object that keeps being "
	       "replaced (Rule 3)\n");
	for (int i = 0; i < READERS; i++)
		pthread_create(&t[i], NULL, config_reader, NULL);
	for (int v = 1; v <= VERSIONS; v++) {
		struct config *c = calloc(1, sizeof(*c));

		if (!c)
			exit(1);
		kref_init(&c->ref);
		c->version = v;
		pthread_mutex_lock(&config_lock);
		global_config = c;
		pthread_mutex_unlock(&config_lock);
		while (!atomic_load(&c->held))	/* a reader holds it */
			sched_yield();
		config_put(c);	/* a reader now holds the last reference */
		/* Only after the put: the holder keeps its reference until it
		 * sees this, so the owner's put is never the final one. */
		atomic_store(&c->owner_put, 1);
		while (atomic_load(&configs_released) < v)
			sched_yield();
	}
	atomic_store(&stop_readers, 1);
	for (int i = 0; i < READERS; i++)
		pthread_join(t[i], NULL);
	printf("  %d objects published, %d released, each once, none while a "
	       "reader held it\n", VERSIONS, atomic_load(&configs_released));
	printf("  %d lookups: %d found an object its owner had already put "
	       "(a reader's reference kept it), %d found none\n",
	       atomic_load(&lookups), atomic_load(&late_lookups),
	       atomic_load(&missed_lookups));
	printf("  the final put was a reader's, racing those lookups, for %d "
	       "of %d objects\n", atomic_load(&reader_final_puts), VERSIONS);
}

/* ---- A bug: one put too many ------------------------------------------ */

struct buffer {
	struct kref ref;
	int released;
};

static refcount_warn_handler_t default_report;
static int reports;

static void count_and_report(refcount_t *r, enum refcount_saturation_type t)
{
	reports++;
	default_report(r, t);	/* the library's own report, on stderr */
}

/* Memory is returned only at exit, like an RCU-deferred free, so the buggy
 * put below touches live memory and the demo stays free of real UB. */
static void buffer_release(struct kref *ref)
{
	container_of(ref, struct buffer, ref)->released++;
}

static void demo_bug(void)
{
	struct buffer *buf = calloc(1, sizeof(*buf));

	printf("3. A bug: a worker puts its reference twice\n");
	if (!buf)
		exit(1);
	default_report = refcount_set_warn_handler(count_and_report);
	kref_init(&buf->ref);
	kref_get(&buf->ref);			/* the worker's reference */
	kref_put(&buf->ref, buffer_release);	/* worker: put */
	kref_put(&buf->ref, buffer_release);	/* worker: put again (bug) */
	printf("  the extra put dropped the owner's reference: released early\n");
	fflush(stdout);
	kref_put(&buf->ref, buffer_release);	/* owner: put on 0 */
	printf("  the owner's put found the count at 0: libkref reported it "
	       "(%d report, on stderr)\n", reports);
	printf("  count is now saturated (%d); release ran %d time(s), never "
	       "twice\n", (int)kref_read(&buf->ref), buf->released);
	refcount_set_warn_handler(default_report);
	/* kref-check: ignore (buffer_release keeps the memory; this is its free) */
	free(buf);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	demo_handoff();
	demo_lookup();
	demo_bug();
	return 0;
}
