/* SPDX-License-Identifier: MIT */
/*
 * test_cleanup.c - kref/cleanup.h: every way out of a scope runs each
 * cleanup exactly once, newest first (return, goto forwards and backwards,
 * nested blocks, break and continue); no_free_ptr(), return_ptr() and
 * retain_and_null_ptr() hand a reference on without a put; guards hold
 * their lock in the scope (pthread_mutex_trylock() fails) and not after it
 * (it succeeds); conditional guards skip their body or run their fail
 * statement.  Counts are exact: a cleanup that runs twice, late or not at
 * all changes one.
 *
 * Also built with -DKREF_DEBUG (tests/debug/test_cleanup_debug.c): it re-runs
 * itself with KREF_ABORT=1, so any report (a double put, a leak at exit)
 * kills it; and children check where the scope-exit puts are recorded.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>
#include <kref.h>
#include "tap.h"
#ifdef KREF_DEBUG
#include <setjmp.h>
#include "child.h"
#include "../../src/internal.h"
#endif

struct obj {
	struct kref ref;
	int id;
	pthread_mutex_t *lock;	/* for obj_release_locked */
};

#define NOBJ 64
static struct obj objs[NOBJ];
static int released[NOBJ];	/* release calls per object */
static int order[NOBJ], norder;	/* ids in the order they were released */
static int next_id;
static int lock_held_at_release;	/* obj_release_locked saw its mutex held */

/* Objects are never freed: released ones stay inspectable, ASan-clean. */
static struct obj *new_obj(void)
{
	struct obj *o = &objs[next_id];

	if (next_id >= NOBJ)
		BAIL_OUT("out of test objects");
	o->id = next_id++;
	kref_init(&o->ref);
	return o;
}

static void obj_release(struct kref *ref)
{
	struct obj *o = container_of(ref, struct obj, ref);

	released[o->id]++;
	order[norder++] = o->id;
}

/* For kref_put_mutex: called with o->lock held; must unlock it. */
static void obj_release_locked(struct kref *ref)
{
	struct obj *o = container_of(ref, struct obj, ref);

	lock_held_at_release += pthread_mutex_trylock(o->lock) == EBUSY;
	pthread_mutex_unlock(o->lock);
	obj_release(ref);
}

static struct obj *get(struct obj *o)
{
	kref_get(&o->ref);
	return o;
}

static int count(struct obj *o)
{
	return (int)kref_read(&o->ref);
}

/* Drops the test's own reference: the object must be released now, once. */
static int last_put(struct obj *o)
{
	return kref_put(&o->ref, obj_release) == 1 && released[o->id] == 1;
}

enum { OBJ_PUT_LINE = __LINE__ + 1 };
KREF_DEFINE_PUT(obj_put, struct obj, ref, obj_release);
KREF_DEFINE_PUT_MUTEX(obj_put_locked, struct obj, ref, obj_release_locked,
		      _T->lock);

/* ---- __free: every way out of a scope --------------------------------- */

static int early_return(struct obj *o, int path)
{
	struct obj *a __free(obj_put) = get(o);

	if (path == 0)
		return count(o);
	struct obj *b __free(obj_put) = get(o);

	if (path == 1)
		return count(o);
	struct obj *c __free(obj_put) = get(o);

	if (path == 2)
		return count(o);
	(void)a;
	(void)b;
	(void)c;
	return count(o);
}

static void test_early_return(void)
{
	struct obj *o = new_obj();

	for (int path = 0; path < 4; path++) {
		int inside = early_return(o, path);

		is(inside, 2 + (path < 3 ? path : 2),
		   "return on path %d: %d references held inside", path,
		   2 + (path < 3 ? path : 2));
		is(count(o), 1, "  each put once on the way out");
	}
	is(released[o->id], 0, "early returns never released the object");
	ok(last_put(o), "the owner's put releases it, once");
}

static int goto_out(struct obj *o, int jump)
{
	int inside = -1;

	{
		struct obj *a __free(obj_put) = get(o);

		if (jump)
			goto out;
		inside = count(o);
		(void)a;
	}
out:
	return inside * 100 + count(o);
}

static int goto_back(struct obj *o, int *max_inside)
{
	int n = 0;

again:
	{
		struct obj *a __free(obj_put) = get(o);

		if (count(o) > *max_inside)
			*max_inside = count(o);
		(void)a;
		if (++n < 5)
			goto again;
	}
	return n;
}

static void test_goto(void)
{
	struct obj *o = new_obj();
	int max_inside = 0;

	is(goto_out(o, 1), -100 + 1, "goto out of the scope puts before the label");
	is(goto_out(o, 0), 200 + 1, "falling out of the scope puts too");
	is(goto_back(o, &max_inside), 5, "goto backwards out of the scope, 5 times");
	is(max_inside, 2, "  each jump put the previous reference first");
	is(count(o), 1, "  and the last one at the end");
	ok(last_put(o), "  the object released once, by its owner");
}

static void test_nested_order(void)
{
	struct obj *a = new_obj(), *b = new_obj(), *c = new_obj();
	int start = norder, between = -1;

	{
		struct obj *x __free(obj_put) = a;	/* adopts the reference */

		{
			struct obj *y __free(obj_put) = b;
			struct obj *z __free(obj_put) = c;

			(void)y;
			(void)z;
		}
		between = norder - start;
		(void)x;
	}
	is(between, 2, "the inner block released its two objects at its end");
	ok(norder - start == 3 && order[start] == c->id &&
	   order[start + 1] == b->id && order[start + 2] == a->id,
	   "cleanups run newest first: c, b, then the outer a");
	ok(released[a->id] == 1 && released[b->id] == 1 && released[c->id] == 1,
	   "each released exactly once");
}

static void test_loops(void)
{
	struct obj *o = new_obj();
	int iterations = 0, stale = 0, i;

	for (i = 0; i < 10; i++) {
		struct obj *a __free(obj_put) = get(o);

		iterations++;
		stale += count(o) != 2;	/* last iteration's put happened */
		(void)a;
		if (i % 3 == 0)
			continue;
		if (i == 7)
			break;
	}
	is(iterations, 8, "for: continue and break leave the body (8 rounds)");
	is(stale, 0, "  each round's reference was put before the next");
	is(count(o), 1, "  and the break's too");

	i = 0;
	while (1) {
		struct obj *a __free(obj_put) = get(o);

		(void)a;
		{
			struct obj *b __free(obj_put) = get(o);

			(void)b;
			if (++i == 4)
				break;
		}
		stale += count(o) != 2;
	}
	ok(i == 4 && stale == 0 && count(o) == 1,
	   "while: break from a nested block puts both levels");
	ok(last_put(o), "  the object released once, by its owner");
}

/* ---- hand-offs ---------------------------------------------------------- */

static struct obj *lookup(struct obj *o, int fail)
{
	struct obj *a __free(obj_put) = get(o);

	if (fail)
		return NULL;
	return_ptr(a);
}

static int consume(struct obj *o, int accept)
{
	if (!accept)
		return -EINVAL;
	kref_put(&o->ref, obj_release);	/* took the reference */
	return 0;
}

static int hand_on(struct obj *o, int accept)
{
	struct obj *a __free(obj_put) = get(o);
	int ret = consume(a, accept);

	if (!ret)
		retain_and_null_ptr(a);
	return ret;
}

static void test_handoffs(void)
{
	struct obj *o = new_obj(), *p, *kept;

	ok(lookup(o, 1) == NULL && count(o) == 1,
	   "an error return puts the reference");
	p = lookup(o, 0);
	ok(p == o && count(o) == 2, "return_ptr hands the reference to the caller");
	{
		struct obj *a __free(obj_put) = p;

		kept = no_free_ptr(a);
		ok(a == NULL && kept == o, "no_free_ptr leaves NULL, returns the value");
	}
	is(count(o), 2, "  and the cleanup of NULL puts nothing");
	kref_put(&kept->ref, obj_release);
	ok(hand_on(o, 1) == 0 && count(o) == 1,
	   "retain_and_null_ptr after a consumer took the reference: one put");
	ok(hand_on(o, 0) == -EINVAL && count(o) == 1,
	   "a consumer that refused it: the cleanup puts it");
	{
		struct obj *null __free(obj_put) = NULL;
		struct obj *err __free(obj_put) = kref_err_ptr_(-ENOMEM);

		(void)null;
		(void)err;
	}
	ok(count(o) == 1 && released[o->id] == 0,
	   "NULL and error pointers are not put");
	ok(last_put(o), "the object released once, by its owner");
}

DEFINE_FREE(tally, int *, if (_T) (*_T)++)

static void test_define_free(void)
{
	int n = 0;

	{
		int *t __free(tally) = &n;
		int *none __free(tally) = NULL;

		(void)t;
		(void)none;
		is(n, 0, "DEFINE_FREE: nothing runs inside the scope");
	}
	is(n, 1, "  its expression ran once at the end, not for NULL");
	{
		int *t __free(tally) = &n;
		int *mine = no_free_ptr(t);

		(*mine) += 10;
	}
	is(n, 11, "  and not after no_free_ptr");
}

/* ---- CLASS form of KREF_DEFINE_PUT -------------------------------------- */

static int class_paths(struct obj *o, int path)
{
	CLASS(obj_put, a)(get(o));

	if (path == 0)
		return count(o);
	for (int i = 0; i < 3; i++) {
		CLASS(obj_put, b)(get(o));

		(void)b;
		if (i == path)
			break;
	}
	if (path == 1)
		return count(o);
	return count(o) + (a == o) * 100;
}

static void test_class_put(void)
{
	struct obj *o = new_obj();

	is(class_paths(o, 0), 2, "CLASS(obj_put): the reference is held in scope");
	is(count(o), 1, "  and put at its end");
	is(class_paths(o, 1), 2, "  loop variables are put at break");
	is(class_paths(o, 2), 102, "  the variable is the pointer itself");
	is(count(o), 1, "  every CLASS reference put once");
	{
		CLASS(obj_put, a)(get(o));
		struct obj *p = no_free_ptr(a);

		ok(p == o && a == NULL, "no_free_ptr works on a CLASS variable");
		kref_put(&p->ref, obj_release);
	}
	is(count(o), 1, "  and its cleanup then puts nothing");
	ok(last_put(o), "the object released once, by its owner");
}

/* ---- guards ------------------------------------------------------------- */

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static int mutex_is_free(pthread_mutex_t *mx)
{
	if (pthread_mutex_trylock(mx) != 0)
		return 0;
	pthread_mutex_unlock(mx);
	return 1;
}

static int guarded(int path)
{
	guard(pthread_mutex)(&m);

	if (path == 0)
		return mutex_is_free(&m);
	if (path == 1)
		return mutex_is_free(&m) + 10;
	return mutex_is_free(&m) + 20;
}

static void test_guard(void)
{
	int held = 0, freed = 0;

	for (int path = 0; path < 3; path++) {
		held += guarded(path) % 10 == 0;
		freed += mutex_is_free(&m);
	}
	is(held, 3, "guard(pthread_mutex): held inside on every path");
	is(freed, 3, "  and unlocked on every return");
}

/* The kernel's ordering rule: a __free() declared after the guard is
 * cleaned up first, while the lock is still held. */
static void test_guard_then_free(void)
{
	struct obj *o = new_obj();

	o->lock = &m;
	lock_held_at_release = 0;
	{
		guard(pthread_mutex)(&m);
		struct obj *a __free(obj_put) = o;

		(void)a;
	}
	ok(released[o->id] == 1, "a put after guard() releases at scope end");
	{
		struct obj *p = new_obj();

		p->lock = &m;
		{
			struct obj *a __free(obj_put_locked) = p;

			(void)a;
		}
		ok(released[p->id] == 1 && lock_held_at_release == 1,
		   "KREF_DEFINE_PUT_MUTEX: release ran with the mutex held");
		ok(mutex_is_free(&m), "  and the mutex is free after");
	}
}

static void test_scoped_guard(void)
{
	int bodies = 0, after = 0, held = 0, freed = 0;

	for (int i = 0; i < 6; i++) {
		scoped_guard(pthread_mutex, &m) {
			held += !mutex_is_free(&m);
			if (i == 1)
				continue;	/* leaves the scoped_guard only */
			if (i == 3)
				break;		/* leaves the scoped_guard only */
			bodies++;
		}
		freed += mutex_is_free(&m);
		after++;
	}
	is(held, 6, "scoped_guard: the lock is held in the body");
	is(bodies, 4, "  break and continue leave the body");
	is(after, 6, "  but not the enclosing loop (as in the kernel)");
	is(freed, 6, "  the lock is released every time");

	int x = 0;

	if (x)
		scoped_guard(pthread_mutex, &m)
			x = 100;
	else
		x = 7;
	is(x, 7, "scoped_guard: an else after it pairs with the enclosing if");
	ok(mutex_is_free(&m), "  and no lock is left held");
}

static int scoped_return(void)
{
	scoped_guard(pthread_mutex, &m)
		return mutex_is_free(&m) ? -1 : 1;
	return 0;
}

static int try_once(int *ran)
{
	scoped_cond_guard(pthread_mutex_try, return -EBUSY, &m) {
		(*ran)++;
		return mutex_is_free(&m) ? -1 : 0;
	}
	return -2;
}

static void test_conditional(void)
{
	int ran = 0, err;

	is(scoped_return(), 1, "return from a scoped_guard body holds, then frees");
	ok(mutex_is_free(&m), "  freed");

	pthread_mutex_lock(&m);		/* busy: the trylocks below fail */
	scoped_guard(pthread_mutex_try, &m)
		ran++;
	is(ran, 0, "scoped_guard(pthread_mutex_try) on a busy mutex skips its body");
	is(try_once(&ran), -EBUSY, "scoped_cond_guard runs its fail statement");
	{
		ACQUIRE(pthread_mutex_try, lk)(&m);

		err = ACQUIRE_ERR(pthread_mutex_try, &lk);
	}
	is(err, -EBUSY, "ACQUIRE_ERR: -EBUSY from a failed trylock");
	pthread_mutex_unlock(&m);
	ok(mutex_is_free(&m), "  and the failed guards unlocked nothing");

	scoped_guard(pthread_mutex_try, &m)
		ran += 1 + !mutex_is_free(&m);
	is(ran, 2, "on a free mutex the body runs once, with the lock");
	is(try_once(&ran), 0, "scoped_cond_guard runs its body when it gets the lock");
	{
		ACQUIRE(pthread_mutex_try, lk)(&m);

		err = ACQUIRE_ERR(pthread_mutex_try, &lk);
		err += mutex_is_free(&m) ? 1000 : 0;
	}
	is(err, 0, "ACQUIRE_ERR: 0, lock held");
	ok(mutex_is_free(&m), "every successful conditional guard unlocked");
}

#ifdef KREF_HAVE_SPINLOCK
static void test_spin(void)
{
	pthread_spinlock_t s;
	int inside = -1, ran = 0;

	pthread_spin_init(&s, PTHREAD_PROCESS_PRIVATE);
	{
		guard(pthread_spin)(&s);

		inside = pthread_spin_trylock(&s);
	}
	is(inside, EBUSY, "guard(pthread_spin): held in scope");
	ok(pthread_spin_trylock(&s) == 0, "  free after it");
	scoped_guard(pthread_spin_try, &s)
		ran++;
	is(ran, 0, "pthread_spin_try on a held spinlock skips the body");
	pthread_spin_unlock(&s);
	scoped_guard(pthread_spin_try, &s)
		ran++;
	ok(ran == 1 && pthread_spin_trylock(&s) == 0, "  and runs on a free one, unlocking");
	pthread_spin_unlock(&s);
	pthread_spin_destroy(&s);
}
#endif

/* ---- classes and lock guards of one's own --------------------------------- */

static int constructed, destroyed, last_destroyed;

DEFINE_CLASS(counter, int, (destroyed++, last_destroyed = _T),
	     (constructed++, start + 1), int start)
EXTEND_CLASS(counter, _zero, (constructed++, 0))
DEFINE_CLASS(nothing, int, destroyed++, (constructed++, 5))

struct toy_lock {
	int held, taken, released;
	unsigned long flags;
};

DEFINE_LOCK_GUARD_1(toy, struct toy_lock,
		    (_T->lock->held = 1, _T->lock->taken++, _T->flags = 42),
		    (_T->lock->held = 0, _T->lock->released++,
		     _T->lock->flags = _T->flags),
		    unsigned long flags)
DEFINE_LOCK_GUARD_1_COND(toy, _try, !_T->lock->held ?
			 (_T->lock->held = 1, _T->lock->taken++, 1) : 0)
DEFINE_LOCK_GUARD_1_COND(toy, _err, !_T->lock->held ?
			 (_T->lock->held = 1, _T->lock->taken++, 0) : -EAGAIN,
			 _RET == 0)

static int depth, max_depth;

DEFINE_LOCK_GUARD_0(depth, (max_depth = ++depth > max_depth ? depth : max_depth),
		    depth--)

static void test_classes(void)
{
	struct toy_lock t = { 0, 0, 0, 0 };
	int err = 0;

	{
		CLASS(counter, a)(10);
		CLASS(counter_zero, b)();
		CLASS(nothing, c)();
		CLASS_INIT(counter, d, 77);

		ok(a == 11 && b == 0 && c == 5 && d == 77 && constructed == 3 &&
		   destroyed == 0, "DEFINE_CLASS, EXTEND_CLASS, CLASS_INIT construct");
	}
	ok(destroyed == 4 && last_destroyed == 11,
	   "  and destroy all four at scope end, the first declared last");

	{
		guard(toy)(&t);

		ok(t.held && t.taken == 1, "DEFINE_LOCK_GUARD_1 with a field: taken");
	}
	ok(!t.held && t.released == 1 && t.flags == 42,
	   "  released, its field carried from lock to unlock");
	t.held = 1;
	scoped_guard(toy_try, &t)
		err = 1;
	{
		ACQUIRE(toy_err, lk)(&t);

		err += ACQUIRE_ERR(toy_err, &lk) * 10;
	}
	ok(err == -EAGAIN * 10 && t.taken == 1 && t.released == 1,
	   "DEFINE_LOCK_GUARD_1_COND: a failed lock skips the body, keeps its error,"
	   " releases nothing");
	t.held = 0;
	scoped_guard(toy_try, &t)
		err = t.held;
	ok(err == 1 && !t.held && t.taken == 2 && t.released == 2,
	   "  a taken one runs the body and is released");

	scoped_guard(depth) {
		guard(depth)();
		scoped_guard(depth)
			err = depth;
	}
	ok(err == 3 && depth == 0 && max_depth == 3,
	   "DEFINE_LOCK_GUARD_0: scoped_guard(name) with no argument, nested");
	{
		scoped_class(pthread_mutex, lk, &m)
			err = lk == &m && !mutex_is_free(&m);
	}
	ok(err == 1 && mutex_is_free(&m), "scoped_class names its variable");
}

/* ---- threads: a guard really excludes ----------------------------------- */

#define ROUNDS 20000
static long shared;
static atomic_int in_section;

static void *adder(void *arg)
{
	struct obj *o = arg;

	for (int i = 0; i < ROUNDS; i++) {
		struct obj *ref __free(obj_put) = get(o);

		guard(pthread_mutex)(&m);
		if (atomic_fetch_add(&in_section, 1) != 0)
			shared = -1000000;	/* two threads inside: fail */
		shared++;
		atomic_fetch_sub(&in_section, 1);
		if (i % 2)
			continue;
		(void)ref;
	}
	return NULL;
}

static void test_threads(void)
{
	struct obj *o = new_obj();
	pthread_t t[2];

	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, adder, o);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	is(shared, 2 * ROUNDS, "two threads under guard(): every increment, alone");
	is(count(o), 1, "  and every scoped reference put");
	ok(last_put(o), "the object released once, by its owner");
}

/* ---- debug mode: where scope-exit puts are recorded -------------------- */

#ifdef KREF_DEBUG
static int child_class_site(void)
{
	struct obj *o = new_obj();

	{
		CLASS(obj_put, a)(o); MARK("decl");
		(void)a;
	}
	kref_put(&o->ref, obj_release); MARK("again");
	return 0;
}

/* Two __free() variables of one function: no code of ours runs at their
 * declaration, so their puts are recorded at KREF_DEFINE_PUT()'s line. */
static int child_free_site(void)
{
	struct obj *o = new_obj(), *p = new_obj();

	{
		struct obj *a __free(obj_put) = o;
		struct obj *b __free(obj_put) = p;

		(void)a;
		(void)b;
	}
	kref_put(&o->ref, obj_release);
	kref_put(&p->ref, obj_release);
	return 0;
}

/* Where a __free() put is recorded: "FILE:LINE in __free_obj_put()". */
static const char *free_put_site(void)
{
	static char site[256];

	snprintf(site, sizeof(site), "%s:%d in __free_obj_put()", __FILE__,
		 OBJ_PUT_LINE);
	return site;
}

/* True if the output names @site, "FILE:LINE in FUNC()", as a final put's. */
static int final_put_at(const char *site)
{
	char want[512];

	snprintf(want, sizeof(want), "its final put was at %s,", site);
	return strstr(output, want) != NULL;
}

/* Where a CLASS() put without a record is: its destructor's. */
static const char *class_put_site(void)
{
	static char site[256];

	snprintf(site, sizeof(site), "%s:%d in class_obj_put_destructor()",
		 __FILE__, OBJ_PUT_LINE);
	return site;
}

/* A longjmp() out of a scope leaves its records behind (its cleanups never
 * run): the caller's own puts must still find their lines. */
static jmp_buf unwind;

static void jump_out(struct obj *o)
{
	CLASS(obj_put, x)(get(o)); MARK("skipped callee class");
	struct obj *y __free(obj_put) = get(o);

	(void)x;
	(void)y;
	longjmp(unwind, 1);
}

static void call_and_catch(struct obj *o)
{
	if (!setjmp(unwind))
		jump_out(o);
}

static int child_longjmp_site(void)
{
	struct obj *o = new_obj(), *p = new_obj(), *q = new_obj();

	{
		CLASS(obj_put, a)(p); MARK("outer class");
		struct obj *b __free(obj_put) = q;

		(void)a;
		(void)b;
		call_and_catch(o);
	}
	kref_put(&p->ref, obj_release);
	kref_put(&q->ref, obj_release);
	return 0;
}

/* A longjmp() back into the declaring function, past the variables of an
 * inner block: the outer ones' puts are not recorded at their lines. */
static jmp_buf back;

static void jump_back(void)
{
	longjmp(back, 1);
}

static int child_longjmp_back(void)
{
	struct obj *o = new_obj(), *p = new_obj(), *q = new_obj();

	{
		CLASS(obj_put, a)(o); MARK("class before");
		struct obj *b __free(obj_put) = p;

		(void)a;
		(void)b;
		if (!setjmp(back)) {
			CLASS(obj_put, c)(get(q)); MARK("skipped class");
			struct obj *d __free(obj_put) = get(q); MARK("skipped free");

			(void)c;
			(void)d;
			jump_back();
		}
	}
	kref_put(&o->ref, obj_release);
	kref_put(&p->ref, obj_release);
	return 0;
}

/*
 * More scoped references live on a thread than its record holds (256):
 * every level of fill() has two, declared at fill_line.  The deepest
 * level's others may be left out of the record; their puts must not be
 * recorded at fill_line, the line of the entries that are in it.  With
 * 128 levels a record of both kinds (as it was when __free() variables
 * entered it too) fills up inside the deepest level; with 300, one of
 * CLASS() variables alone fills up before it.
 */
static unsigned int depth_when_full;
static int fill_line;
static int fill_levels;

static void fill(int n, struct obj *o, struct obj *p, struct obj *q)
{
	fill_line = __LINE__ + 1;
	struct obj *v __free(obj_put) = get(o); CLASS(obj_put, w)(get(o));

	(void)v;
	(void)w;
	if (n > 1) {
		fill(n - 1, o, p, q);
		return;
	}
	{
		CLASS(obj_put, x)(p); MARK("past full class");
		struct obj *y __free(obj_put) = q; MARK("past full free");

		(void)x;
		(void)y;
		depth_when_full = kref_debug_scope_depth_();
	}
}

static int child_full(void)
{
	struct obj *o = new_obj(), *p = new_obj(), *q = new_obj();

	fill(fill_levels, o, p, q);
	fprintf(stderr, "mark fill %s:%d\n", __FILE__, fill_line);
	fprintf(stderr, "depth when full %u, after %u, count %d\n",
		depth_when_full, kref_debug_scope_depth_(), count(o));
	kref_put(&p->ref, obj_release);
	kref_put(&q->ref, obj_release);
	kref_put(&o->ref, obj_release);
	return 0;
}

static struct obj *escape(struct obj *o)
{
	struct obj *a __free(obj_put) = o;

	kref_get(&o->ref); MARK("taken");
	kref_put(&o->ref, obj_release);
	MARK("escaped"); return_ptr(a);
}

static int child_escape(void)
{
	escape(new_obj());	/* returned reference dropped: a leak */
	return 0;
}

/* Escapes from a CLASS() variable, and from a __free() one that was
 * declared NULL and assigned later, next to one of another type. */
static struct obj *escape_class(struct obj *o)
{
	CLASS(obj_put, a)(o);

	MARK("class escaped"); return no_free_ptr(a);
}

static struct obj *escape_assigned(struct obj *o)
{
	struct obj *a __free(obj_put) = NULL;
	int n = 0, *t __free(tally) = &n;

	a = o;
	MARK("assigned escaped"); retain_and_null_ptr(a);
	return o;
}

/* The receiver puts the reference that escaped; what leaks is
 * kref_init's, which never escaped. */
static struct obj *hand_out(struct obj *o)
{
	struct obj *a __free(obj_put) = get(o);

	MARK("handed out"); return_ptr(a);
}

static int child_escape_put(void)
{
	struct obj *o = new_obj();
	struct obj *p = hand_out(o);

	kref_put(&p->ref, obj_release); MARK("received and put");
	return 0;
}

/* An escape whose site has no file name (#line N ""): leaked, as in
 * child_escape(). */
#include "test_cleanup_nameless.h"

static int child_escape_nameless(void)
{
	escape_nameless(new_obj());
	return 0;
}

/* A type whose kref is not at its start: a __free() escape finds it at
 * the offset its KREF_DEFINE_PUT() registered. */
struct wide {
	long pad[5];
	struct kref ref;
};

static void wide_release(struct kref *ref)
{
	(void)ref;
}

KREF_DEFINE_PUT(wide_put, struct wide, ref, wide_release);

static struct wide *escape_wide(struct wide *w)
{
	struct wide *a __free(wide_put) = w;

	MARK("wide escaped"); return_ptr(a);
}

static int child_escape_wide(void)
{
	static struct wide w;

	kref_init(&w.ref);
	escape_wide(&w);	/* leaked */
	return 0;
}

static int child_escapes(void)
{
	escape_class(new_obj());
	escape_assigned(new_obj());
	return 0;
}

static void test_debug_sites(void)
{
	run_child(child_class_site, NULL);
	ok(strstr(output, "double put") && says("its final put was at ", marked("decl")),
	   "debug: a CLASS() reference's put is recorded at its declaration (%s)",
	   marked("decl"));

	run_child(child_free_site, NULL);
	ok(count_lines("kref: put after the final put (double put)") == 2 &&
	   final_put_at(free_put_site()),
	   "debug: a __free() reference's put is recorded at KREF_DEFINE_PUT()'s "
	   "line, in its cleanup (%s), for both", free_put_site());
	if (!final_put_at(free_put_site()))
		diag("output:\n%s", output);

	run_child(child_longjmp_site, NULL);
	ok(says("its final put was at ", marked("outer class")) &&
	   final_put_at(free_put_site()) &&
	   !says("its final put was at ", marked("skipped callee class")),
	   "debug: after a longjmp() out of a callee's scopes, the caller's "
	   "CLASS() put is still recorded at its declaration (%s), its __free() "
	   "one at %s", marked("outer class"), free_put_site());

	run_child(child_longjmp_back, NULL);
	ok(says("its final put was at ", marked("class before")) &&
	   final_put_at(free_put_site()) &&
	   !says("its final put was at ", marked("skipped class")) &&
	   !says("its final put was at ", marked("skipped free")),
	   "debug: after a longjmp() back into the declaring function, past an "
	   "inner block's variables (%s, %s), the outer puts are recorded at %s "
	   "and %s, not at theirs", marked("skipped class"),
	   marked("skipped free"), marked("class before"), free_put_site());
	if (!says("its final put was at ", marked("class before")))
		diag("output:\n%s", output);

	for (fill_levels = 128; fill_levels <= 300; fill_levels += 172) {
		unsigned int full = 0, after = 1;
		int n = -1;
		const char *d;

		run_child(child_full, NULL);
		d = strstr(output, "depth when full ");
		if (d)
			sscanf(d, "depth when full %u, after %u, count %d", &full,
			       &after, &n);
		ok(count_lines("kref: put after the final put (double put)") == 2 &&
		   (says("its final put was at ", marked("past full class")) ||
		    final_put_at(class_put_site())) &&
		   final_put_at(free_put_site()) &&
		   !says("its final put was at ", marked("fill")),
		   "debug: %d scoped references live on a thread: a put is "
		   "recorded at its own line or at KREF_DEFINE_PUT()'s, never at "
		   "another variable's (%s)", 2 * fill_levels + 2, marked("fill"));
		if (says("its final put was at ", marked("fill")))
			diag("output:\n%s", output);
		ok((fill_levels < 300 || full == 256) && after == 0 && n == 1,
		   "  the record holds up to 256 (%u) and is empty after", full);
	}

	run_child(child_escape, NULL);
	ok(strstr(output, "leak") && strstr(output, marked("taken")) &&
	   says("a reference escaped its scope at ", marked("escaped")),
	   "debug: a reference that escaped with return_ptr leaks with the get "
	   "that took it (%s) and where it escaped (%s)", marked("taken"),
	   marked("escaped"));
	ok(strstr(output, "escaped its scope "), "  the escape is in the history");

	run_child(child_escapes, NULL);
	ok(says("a reference escaped its scope at ", marked("class escaped")),
	   "debug: no_free_ptr() of a CLASS() variable records the escape (%s)",
	   marked("class escaped"));
	ok(says("a reference escaped its scope at ", marked("assigned escaped")),
	   "debug: retain_and_null_ptr() of a __free() variable assigned after "
	   "its declaration records it too (%s)", marked("assigned escaped"));


	run_child(child_escape_wide, NULL);
	ok(says("a reference escaped its scope at ", marked("wide escaped")),
	   "debug: return_ptr() of a __free() variable whose type has its kref "
	   "at offset %zu records the escape (%s)", offsetof(struct wide, ref),
	   marked("wide escaped"));

	run_child(child_escape_put, NULL);
	ok(strstr(output, "kref: leak: object") &&
	   !strstr(output, "a reference escaped its scope at"),
	   "debug: a leak whose escaped reference its receiver put (%s) does "
	   "not say that it escaped (%s)", marked("received and put"),
	   marked("handed out"));
	if (strstr(output, "a reference escaped its scope at"))
		diag("output:\n%s", output);

	run_child(child_escape_nameless, NULL);
	ok(strstr(output, "kref: leak: object") &&
	   !strstr(output, "escaped its scope at :"),
	   "debug: an escape whose site has no file name is not printed as "
	   "\"escaped its scope at :LINE\" (issue 17)");
	is(kref_debug_scope_depth_(), 0,
	   "debug: the declaration record is empty after every scope");
}

/* Any report must kill this program: re-run it with KREF_ABORT=1, in case
 * it is read at start-up.  Where the exec fails (qemu-user without
 * binfmt_misc) go on with it set, as it is read at each report. */
static void abort_on_any_report(char **argv)
{
	const char *v = getenv("KREF_ABORT");

	if (v && !strcmp(v, "1"))
		return;
	setenv("KREF_ABORT", "1", 1);
	execv("/proc/self/exe", argv);
}
#endif

int main(int argc, char **argv)
{
	(void)argc;
#ifdef KREF_DEBUG
	abort_on_any_report(argv);
#else
	(void)argv;
#endif
	test_early_return();
	test_goto();
	test_nested_order();
	test_loops();
	test_handoffs();
	test_define_free();
	test_class_put();
	test_guard();
	test_guard_then_free();
	test_scoped_guard();
	test_conditional();
#ifdef KREF_HAVE_SPINLOCK
	test_spin();
#endif
	test_classes();
	test_threads();
#ifdef KREF_DEBUG
	test_debug_sites();
#else
	is(kref_debug_report_leaks(), 0,
	   "kref_debug_report_leaks() without KREF_DEBUG: declared, nothing tracked");
#endif
	return done_testing();
}
