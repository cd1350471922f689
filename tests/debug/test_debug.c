/* SPDX-License-Identifier: MIT */
/*
 * test_debug.c - KREF_DEBUG reports, one bug committed on purpose per case
 * in a child process.  Each checks that the report names the exact file
 * and line of the offending call and of the earlier event it refers to.
 * Released objects are never freed here (freed ones: tests/debug/), so
 * each case also checks what debug mode does to a released object's
 * memory: nothing.
 */
#include <signal.h>
#include <kref.h>
#include "child.h"
#include "tap.h"

struct obj {
	struct kref ref;
	int payload;
};

static struct obj objs[16];
static int next_obj;

static struct obj *new_obj(void)
{
	return &objs[next_obj++];
}

static void keep_release(struct kref *ref)
{
	container_of(ref, struct obj, ref)->payload = -1;	/* not freed */
}

/* ---- 1. double put ---------------------------------------------------- */

static int double_put(void)
{
	struct obj *o = new_obj();

	kref_init(&o->ref); MARK("init");
	kref_get(&o->ref);
	kref_put(&o->ref, keep_release);
	kref_put(&o->ref, keep_release); MARK("final");
	kref_put(&o->ref, keep_release); MARK("double");
	return 0;
}

static void test_double_put(void)
{
	int status = run_child(double_put, NULL);

	ok(WIFEXITED(status), "double put: the report does not stop the program");
	ok(says("kref: put after the final put (double put)\n  at ", marked("double")),
	   "double put: named at its file:line (%s)", marked("double"));
	ok(says("its final put was at ", marked("final")),
	   "  with the final put's file:line (%s)", marked("final"));
	ok(says("initialised at ", marked("init")),
	   "  and where the object was initialised (%s)", marked("init"));
	ok(strstr(output, "put (final)") && strstr(output, "rule 2:"),
	   "  with its history and the rule it broke");
	if (!says("its final put was at ", marked("final")))
		diag("output:\n%s", output);
}

/* ---- 2. get after the final put --------------------------------------- */

static int get_after_release(void)
{
	struct obj *o = new_obj();

	kref_init(&o->ref); MARK("init");
	kref_put(&o->ref, keep_release); MARK("final");
	kref_get(&o->ref); MARK("get");
	return 0;
}

static void test_get_after_release(void)
{
	run_child(get_after_release, NULL);
	ok(says("kref: get after the final put (use after free)\n  at ", marked("get")),
	   "get after release: named at its file:line (%s)", marked("get"));
	ok(says("its final put was at ", marked("final")),
	   "  with the final put's file:line (%s)", marked("final"));
	ok(strstr(output, "rule 1:") && strstr(output, "rule 3:"),
	   "  and the rules that prevent it");
}

/* A misused released object's count is saturated, and a
 * kref_get_unless_zero on it would succeed: the same bug, reported, and the
 * reference not taken.  (A live count is a
 * new object at that address: tests/test_debug_reuse.c.) */
static int get_unless_zero_after_release(void)
{
	struct obj *o = new_obj();

	kref_init(&o->ref);
	kref_put(&o->ref, keep_release); MARK("final");
	/* What a get or put on the released object leaves. */
	refcount_set(&o->ref.refcount, REFCOUNT_SATURATED);
	if (!kref_get_unless_zero(&o->ref)) MARK("guz");
	return 0;
}

static int get_unless_zero_fails_cleanly(void)
{
	struct obj *o = new_obj();

	kref_init(&o->ref);
	kref_put(&o->ref, keep_release);
	return kref_get_unless_zero(&o->ref);	/* 0: no report */
}

static void test_get_unless_zero(void)
{
	run_child(get_unless_zero_after_release, NULL);
	ok(says("kref: kref_get_unless_zero after the final put "
		"(use after free)\n  at ", marked("guz")),
	   "get_unless_zero on a released, misused object: named, and fails (%s)",
	   marked("guz"));
	ok(says("its final put was at ", marked("final")),
	   "  with the final put's file:line");
	run_child(get_unless_zero_fails_cleanly, NULL);
	is(strlen(output), 0, "get_unless_zero failing on a released object "
	   "is the correct use: no report");
}

/* ---- 3. leaks --------------------------------------------------------- */

static int leak(void)
{
	struct obj *o = new_obj();
	unsigned long leaks;

	kref_init(&o->ref); MARK("init");
	kref_get(&o->ref); MARK("get");
	kref_get(&o->ref);
	kref_put(&o->ref, keep_release); MARK("put");
	leaks = kref_debug_report_leaks();
	fprintf(stderr, "leaks=%lu\n", leaks);
	return 0;
}

static void test_leaks(void)
{
	int status = run_child(leak, NULL);

	ok(strstr(output, "leaks=1\n") != NULL,
	   "kref_debug_report_leaks returns the number of leaked objects");
	ok(strstr(output, "kref: leak: object ") &&
	   strstr(output, "still referenced (count 2 at its last operation)"),
	   "leak report: the object and its count");
	ok(says("initialised at ", marked("init")),
	   "  where it was initialised (%s)", marked("init"));
	ok(says("count 2           at ", marked("get")) &&
	   says("count 2           at ", marked("put")),
	   "  and its history: each operation, its site and the count after");
	is(count_lines("kref: 1 object still referenced"), 1,
	   "reported on demand, and not again at exit");
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a leak alone is not fatal");
	status = run_child(leak, "1");
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
	   "KREF_ABORT=1 makes the leak report fatal");
}

/* ---- 4. kref_init on a live object ------------------------------------ */

static int reinit(void)
{
	struct obj *o = new_obj();

	kref_init(&o->ref); MARK("init");
	kref_get(&o->ref); MARK("get");
	kref_init(&o->ref); MARK("reinit");
	kref_put(&o->ref, keep_release);
	return 0;
}

static void test_reinit(void)
{
	run_child(reinit, NULL);
	ok(says("kref: kref_init on an object that is still referenced; its "
		"references are lost\n  at ", marked("reinit")),
	   "re-initialising a live object: named at its file:line (%s)",
	   marked("reinit"));
	ok(says("initialised at ", marked("init")),
	   "  with the first initialisation (%s)", marked("init"));
	ok(says("count 2           at ", marked("get")),
	   "  and the history that is being lost");
}

/* ---- 5. saturation events with their site ----------------------------- */

static int saturate(void)
{
	refcount_t r = REFCOUNT_INIT(0);
	static struct kref full = KREF_INIT(REFCOUNT_MAX);

	refcount_t u = REFCOUNT_INIT(0), d = REFCOUNT_INIT(1);
	int old, freed;

	refcount_inc(&r); MARK("inc");
	kref_get(&full); MARK("overflow");
	__refcount_inc(&u, &old); MARK("__inc");
	freed = __refcount_sub_and_test(2, &d, &old); MARK("__sub");
	return (int)refcount_read(&r) + freed;
}

static void test_saturation_site(void)
{
	run_child(saturate, NULL);
	ok(strstr(output, "refcount_t: addition on 0; use-after-free.\n  counter ") &&
	   says(", at ", marked("inc")),
	   "refcount_inc on 0: the kernel's text and the call's file:line (%s)",
	   marked("inc"));
	ok(strstr(output, "refcount_t: saturated; leaking memory.\n  counter ") &&
	   says(", at ", marked("overflow")),
	   "kref_get overflowing: the kernel's text and the call's file:line (%s)",
	   marked("overflow"));
	ok(says(", at ", marked("__inc")),
	   "__refcount_inc on 0: the call's file:line (%s)", marked("__inc"));
	ok(strstr(output, "refcount_t: underflow; use-after-free.\n  counter ") &&
	   says(", at ", marked("__sub")),
	   "__refcount_sub_and_test below 0: the call's file:line (%s)",
	   marked("__sub"));
}

/* ---- Rule 1 race: the get comes after the handoff --------------------- */

static pthread_barrier_t handed_off, worker_done;

static void *worker(void *arg)
{
	struct obj *o = arg;

	pthread_barrier_wait(&handed_off);
	kref_put(&o->ref, keep_release); MARK("worker put");
	pthread_barrier_wait(&worker_done);
	return NULL;
}

/* The seed's wrong order: pthread_create, then kref_get.  The barriers make
 * the worker's put win the race every time. */
static int rule1_race(void)
{
	struct obj *o = new_obj();
	pthread_t t;

	pthread_barrier_init(&handed_off, NULL, 2);
	pthread_barrier_init(&worker_done, NULL, 2);
	kref_init(&o->ref);
	pthread_create(&t, NULL, worker, o);
	pthread_barrier_wait(&handed_off);
	pthread_barrier_wait(&worker_done);
	kref_get(&o->ref); MARK("late get");	/* BAD: after the handoff */
	pthread_join(t, NULL);
	return 0;
}

static void test_rule1_race(void)
{
	run_child(rule1_race, NULL);
	ok(says("kref: get after the final put (use after free)\n  at ",
		marked("late get")),
	   "rule 1 race, two threads: the late get is named (%s)",
	   marked("late get"));
	ok(says("its final put was at ", marked("worker put")),
	   "  with the other thread's final put (%s)", marked("worker put"));
}

/* ---- Rule 3 race: lookup without the lock ----------------------------- */

static struct obj *global;
static pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t looked_up, put_done;

static void global_release(struct kref *ref)
{
	keep_release(ref);
	global = NULL;
}

static void *wrong_lookup(void *arg)
{
	struct obj *o = global;		/* BAD: no lock, no reference */

	(void)arg;
	pthread_barrier_wait(&looked_up);
	pthread_barrier_wait(&put_done);
	kref_get(&o->ref); MARK("unlocked get");
	return NULL;
}

static int rule3_race(void)
{
	pthread_t t;

	pthread_barrier_init(&looked_up, NULL, 2);
	pthread_barrier_init(&put_done, NULL, 2);
	global = new_obj();
	kref_init(&global->ref);
	pthread_create(&t, NULL, wrong_lookup, NULL);
	pthread_barrier_wait(&looked_up);
	pthread_mutex_lock(&global_lock);
	kref_put(&global->ref, global_release); MARK("owner put");
	pthread_mutex_unlock(&global_lock);
	pthread_barrier_wait(&put_done);
	pthread_join(t, NULL);
	return 0;
}

static void test_rule3_race(void)
{
	run_child(rule3_race, NULL);
	ok(says("kref: get after the final put (use after free)\n  at ",
		marked("unlocked get")),
	   "rule 3 race, two threads: the unlocked lookup's get is named (%s)",
	   marked("unlocked get"));
	ok(says("its final put was at ", marked("owner put")),
	   "  with the owner's final put (%s)", marked("owner put"));
}

/* ---- correct use is silent -------------------------------------------- */

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_spinlock_t spin;

static void unlock_release(struct kref *ref)
{
	keep_release(ref);
	pthread_mutex_unlock(&m);
}

static void unspin_release(struct kref *ref)
{
	keep_release(ref);
	pthread_spin_unlock(&spin);
}

static int correct_use(void)
{
	struct obj *a = new_obj(), *b = new_obj(), *c = new_obj();
	int released = 0;

	kref_init(&a->ref);
	kref_get(&a->ref);
	if (kref_get_unless_zero(&a->ref))
		kref_put(&a->ref, keep_release);
	kref_put(&a->ref, keep_release);
	released += kref_put(&a->ref, keep_release);
	kref_init(&a->ref);	/* reuse after release is fine */
	released += kref_put(&a->ref, keep_release);
	kref_init(&b->ref);
	kref_get(&b->ref);
	kref_put_mutex(&b->ref, unlock_release, &m);
	released += kref_put_mutex(&b->ref, unlock_release, &m);
	pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
	kref_init(&c->ref);
	released += kref_put_lock(&c->ref, unspin_release, &spin);
	fprintf(stderr, "released=%d leaks=%lu\n", released,
		kref_debug_report_leaks());
	return 0;
}

static void test_correct_use_is_silent(void)
{
	int status = run_child(correct_use, "1");

	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	   strcmp(output, "released=4 leaks=0\n") == 0,
	   "correct use of every operation: counted right, no report at all");
	if (strcmp(output, "released=4 leaks=0\n") != 0)
		diag("output:\n%s", output);
}

/* ---- 5b. the exit-time leak report's settings -------------------------- */

static int leak_with(const char *name, const char *value, int leaks)
{
	if (leaks) {
		struct obj *o = new_obj();

		kref_init(&o->ref);
	}
	setenv(name, value, 1);		/* read by the report at exit */
	return 0;
}

static int leak_exitcode(void) { return leak_with("KREF_LEAK_EXITCODE", "23", 1); }
static int clean_exitcode(void) { return leak_with("KREF_LEAK_EXITCODE", "23", 0); }
static int leak_quiet(void) { return leak_with("KREF_LEAKS", "0", 1); }

static void test_leak_settings(void)
{
	int status = run_child(leak_exitcode, NULL);

	ok(WIFEXITED(status) && WEXITSTATUS(status) == 23 &&
	   count_lines("kref: 1 object still referenced") == 1,
	   "KREF_LEAK_EXITCODE=23: a leaking run is reported once and exits 23");
	status = run_child(clean_exitcode, NULL);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0 && !output[0],
	   "  a run without leaks exits 0, silently");
	status = run_child(leak_quiet, NULL);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	   !strstr(output, "kref: leak"),
	   "KREF_LEAKS=0: no leak report at exit");
}

/* ---- 6. a program's own helpers pass their caller's site --------------- */

#define obj_get(o)	obj_get_at((o), KREF_CALLER)
#define obj_put(o)	obj_put_at((o), KREF_CALLER)

static __attribute__((noinline)) void obj_get_at(struct obj *o,
						 const struct kref_site *site)
{
	kref_get_at(&o->ref, site);
}

static __attribute__((noinline)) int obj_put_at(struct obj *o,
						const struct kref_site *site)
{
	return kref_put_at(&o->ref, keep_release, site);
}

static int helpers_double_put(void)
{
	struct obj *o = new_obj();

	kref_init(&o->ref);
	obj_get(o); MARK("get");
	obj_put(o);
	obj_put(o); MARK("final");
	obj_put(o); MARK("double");
	return refcount_read(&o->ref.refcount) != 0;	/* not performed */
}

static void test_helpers(void)
{
	int status = run_child(helpers_double_put, NULL);

	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	   says("kref: put after the final put (double put)\n  at ",
		marked("double")) &&
	   says("its final put was at ", marked("final")),
	   "helpers passing KREF_CALLER: the report names their callers' lines "
	   "(%s, %s), and the double put leaves the count at 0",
	   marked("double"), marked("final"));
	ok(says("count 2           at ", marked("get")),
	   "  in the history too (%s)", marked("get"));
}

int main(void)
{
	is(sizeof(struct kref), 4, "struct kref is still 4 bytes in debug mode");
	test_double_put();
	test_get_after_release();
	test_get_unless_zero();
	test_leaks();
	test_reinit();
	test_saturation_site();
	test_rule1_race();
	test_rule3_race();
	test_correct_use_is_silent();
	test_helpers();
	test_leak_settings();
	return done_testing();
}
