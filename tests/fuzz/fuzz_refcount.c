/* SPDX-License-Identifier: MIT */
/*
 * fuzz_refcount.c - differential fuzzer: libkref against tests/fuzz/model.c.
 *   make fuzz [FUZZ_TIME=60] [FUZZ_BUILDS="plain hook debug"]   (-j3: at once)
 *   build/fuzz/BUILD/fuzz_refcount FILE...  replays inputs, e.g. a crash-*
 *   build/MODE/tests/test_fuzz [FILE...]    replays tests/fuzz/corpus/ (make check)
 *   fuzz_refcount -merge=1 -use_counters=0 tests/fuzz/corpus build/fuzz/BUILD/corpus
 *	adds the inputs that reach new code to the committed corpus.
 * Aborts with "fuzz: divergence ..." at the first value, return, report,
 * release or lock that differs from the model.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>
#include "../../src/internal.h"
#include "model.h"

/* The model restates the constants; they must be the library's. */
_Static_assert(MODEL_SATURATED == REFCOUNT_SATURATED, "REFCOUNT_SATURATED");
_Static_assert(MODEL_INT_MAX == REFCOUNT_MAX, "REFCOUNT_MAX");
_Static_assert(MODEL_RCUREF_MAXREF == RCUREF_MAXREF &&
	       MODEL_RCUREF_SATURATED == RCUREF_SATURATED &&
	       MODEL_RCUREF_RELEASED == RCUREF_RELEASED &&
	       MODEL_RCUREF_DEAD == RCUREF_DEAD &&
	       MODEL_RCUREF_NOREF == RCUREF_NOREF, "rcuref_t's zones");

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The counters: NRC refcount_t and NKREF struct kref, which the refcount_t
 * operations reach as "int slots" 0 .. NINT - 1 (the krefs last), and
 * NRCU rcuref_t.  Static, so that debug mode sees the same addresses from
 * one input to the next, as it would see reused memory.
 */
#define NRC	4
#define NKREF	4
#define NINT	(NRC + NKREF)
#define NRCU	4

static refcount_t rc[NRC];
static struct kref kr[NKREF];
static rcuref_t rr[NRCU];
static int64_t model_int[NINT];		/* the model's state of each */
static int64_t model_rcu[NRCU];

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_spinlock_t spin;

enum kind { INT, KREF, RCU };

/* Input: a sequence of [op byte] [slot byte] [value, if the op takes one]. */
enum op {
	RC_SET, RC_SET_RELEASE, RC_READ, RC_ADD, RC_INC, RC_ADD_NOT_ZERO,
	RC_ADD_NOT_ZERO_ACQ, RC_INC_NOT_ZERO, RC_INC_NOT_ZERO_ACQ,
	RC_SUB_AND_TEST, RC_DEC_AND_TEST, RC_DEC, RC_DEC_IF_ONE,
	RC_DEC_NOT_ONE, RC_DEC_AND_MUTEX_LOCK, RC_DEC_AND_LOCK,
	KREF_INIT, KREF_READ, KREF_GET, KREF_GET_UNLESS_ZERO, KREF_PUT,
	KREF_PUT_MUTEX, KREF_PUT_LOCK,
	RCU_INIT, RCU_READ, RCU_GET, RCU_PUT, RCU_PUT_RCUSAFE, RCU_IS_DEAD,
	NOPS
};

static const struct {
	const char *name;
	enum kind kind;
	bool arg;
} ops[NOPS] = {
	[RC_SET] = { "refcount_set", INT, true },
	[RC_SET_RELEASE] = { "refcount_set_release", INT, true },
	[RC_READ] = { "refcount_read", INT, false },
	[RC_ADD] = { "refcount_add", INT, true },
	[RC_INC] = { "refcount_inc", INT, false },
	[RC_ADD_NOT_ZERO] = { "refcount_add_not_zero", INT, true },
	[RC_ADD_NOT_ZERO_ACQ] = { "refcount_add_not_zero_acquire", INT, true },
	[RC_INC_NOT_ZERO] = { "refcount_inc_not_zero", INT, false },
	[RC_INC_NOT_ZERO_ACQ] = { "refcount_inc_not_zero_acquire", INT, false },
	[RC_SUB_AND_TEST] = { "refcount_sub_and_test", INT, true },
	[RC_DEC_AND_TEST] = { "refcount_dec_and_test", INT, false },
	[RC_DEC] = { "refcount_dec", INT, false },
	[RC_DEC_IF_ONE] = { "refcount_dec_if_one", INT, false },
	[RC_DEC_NOT_ONE] = { "refcount_dec_not_one", INT, false },
	[RC_DEC_AND_MUTEX_LOCK] = { "refcount_dec_and_mutex_lock", INT, false },
	[RC_DEC_AND_LOCK] = { "refcount_dec_and_lock", INT, false },
	[KREF_INIT] = { "kref_init", KREF, false },
	[KREF_READ] = { "kref_read", KREF, false },
	[KREF_GET] = { "kref_get", KREF, false },
	[KREF_GET_UNLESS_ZERO] = { "kref_get_unless_zero", KREF, false },
	[KREF_PUT] = { "kref_put", KREF, false },
	[KREF_PUT_MUTEX] = { "kref_put_mutex", KREF, false },
	[KREF_PUT_LOCK] = { "kref_put_lock", KREF, false },
	[RCU_INIT] = { "rcuref_init", RCU, true },
	[RCU_READ] = { "rcuref_read", RCU, false },
	[RCU_GET] = { "rcuref_get", RCU, false },
	[RCU_PUT] = { "rcuref_put", RCU, false },
	[RCU_PUT_RCUSAFE] = { "rcuref_put_rcusafe", RCU, false },
	[RCU_IS_DEAD] = { "rcuref_is_dead", RCU, false },
};

/*
 * A value byte with the top bit set is followed by four raw bytes (little
 * endian); otherwise its low four bits pick an edge value and the next
 * three a neighbour.  The edges: small counts, the int limits,
 * REFCOUNT_SATURATED, and rcuref_t's zone boundaries (stored values; an
 * rcuref_init argument is one more, which the +1 neighbour gives).
 */
static const uint32_t edges[16] = {
	0, 1, 2, 3, 100,
	0x7FFFFFFF,	/* INT_MAX, REFCOUNT_MAX, RCUREF_MAXREF */
	0x80000000,	/* INT_MIN; rcuref's saturated zone starts */
	0xC0000000,	/* REFCOUNT_SATURATED; RCUREF_RELEASED */
	0x40000000,	/* -REFCOUNT_SATURATED */
	0xA0000000,	/* RCUREF_SATURATED */
	0xBFFFFFFF,	/* rcuref's saturated zone ends */
	0xE0000000,	/* RCUREF_DEAD */
	0xFFFFFFFF,	/* -1; RCUREF_NOREF */
	0xFFFFFFFE,
	0x3FFFFFFF,
	0x20000000,
};
static const int32_t neighbour[8] = { 0, 1, -1, 2, -2, 0, 1, -1 };

struct input {
	const uint8_t *p;
	size_t n;
};

/* Past the end, every byte is 0: the input's last op still runs. */
static uint8_t next_byte(struct input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static uint32_t next_value(struct input *in)
{
	uint8_t s = next_byte(in);
	uint32_t v = 0;

	if (s & 0x80) {
		for (int i = 0; i < 4; i++)
			v |= (uint32_t)next_byte(in) << (8 * i);
		return v;
	}
	return edges[s & 15] + (uint32_t)neighbour[(s >> 4) & 7];
}

/* The int with the same 32 bits, without implementation-defined casts. */
static int to_int(uint32_t u)
{
	return u <= INT_MAX ? (int)u : (int)(u - 0x80000000u) + INT_MIN;
}

/* ---- observing the library -------------------------------------------- */

static struct {
	int calls;
	refcount_t *r;
	enum refcount_saturation_type type;
	int value;		/* the counter as the handler saw it */
} event;

static void on_event(refcount_t *r, enum refcount_saturation_type t)
{
	event.calls++;
	event.r = r;
	event.type = t;
	event.value = kref_atomic_read_(&r->refs);
}

enum lock_kind { NO_LOCK, MUTEX, SPIN };

static struct {
	enum lock_kind lock;	/* the lock the running put should hold */
	int calls;
	struct kref *kref;
	bool held;		/* the lock was held when release ran */
} release_seen;

/* Held by someone (only this thread runs here): a trylock fails. */
static bool lock_held(enum lock_kind l)
{
	if (l == MUTEX) {
		if (pthread_mutex_trylock(&mutex) == EBUSY)
			return true;
		pthread_mutex_unlock(&mutex);
		return false;
	}
	if (pthread_spin_trylock(&spin) == EBUSY)
		return true;
	pthread_spin_unlock(&spin);
	return false;
}

static void unlock(enum lock_kind l)
{
	if (l == MUTEX)
		pthread_mutex_unlock(&mutex);
	else
		pthread_spin_unlock(&spin);
}

/* Records the call; unlocks the lock the put took, as a release must. */
static void release(struct kref *kref)
{
	release_seen.calls++;
	release_seen.kref = kref;
	if (release_seen.lock != NO_LOCK) {
		release_seen.held = lock_held(release_seen.lock);
		if (release_seen.held)
			unlock(release_seen.lock);
	}
}

static int64_t lib_int(unsigned int slot)
{
	const refcount_t *r = slot < NRC ? &rc[slot] : &kr[slot - NRC].refcount;

	return kref_atomic_read_(&r->refs);
}

static int64_t lib_rcu(unsigned int slot)
{
	return (unsigned int)kref_atomic_read_(&rr[slot].refcnt);
}

static enum model_event model_event_of(enum refcount_saturation_type t)
{
	switch (t) {
	case REFCOUNT_ADD_NOT_ZERO_OVF:	return MODEL_ADD_NOT_ZERO_OVF;
	case REFCOUNT_ADD_OVF:		return MODEL_ADD_OVF;
	case REFCOUNT_ADD_UAF:		return MODEL_ADD_UAF;
	case REFCOUNT_SUB_UAF:		return MODEL_SUB_UAF;
	case REFCOUNT_DEC_LEAK:		return MODEL_DEC_LEAK;
	}
	return MODEL_NO_EVENT;
}

/* ---- reporting a divergence ------------------------------------------- */

#ifdef FUZZ_LIBFUZZER
/* The sanitizers' report channel: still the terminal when libFuzzer runs
 * with -close_fd_mask=2 to silence debug mode's reports on stderr. */
void __sanitizer_report_error_summary(const char *summary);
#endif

static struct {
	unsigned long step;
	enum op op;
	const char *counter;	/* its type */
	unsigned int index;	/* in rc[], kr[] or rr[] */
	uint32_t arg;
	int64_t start;
} cur;

static void print_outcome(char *buf, size_t len, const struct model_outcome *o,
			  enum kind kind)
{
	char ret[32] = "void";

	if (o->ret != MODEL_VOID)
		snprintf(ret, sizeof(ret), "%" PRId64, o->ret);
	snprintf(buf, len, "value %" PRId64 " (0x%08" PRIx32 "), returns %s, "
		 "report %s%s%s", o->after, (uint32_t)o->after, ret,
		 model_event_name(o->event),
		 kind == KREF ? (o->release ? ", release called" :
				 ", no release") : "",
		 o->locked ? ", lock held" : "");
}

static _Noreturn void fail(const char *fmt, ...)
{
	char what[600], arg[16] = "", msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (cur.op == RCU_INIT)
		snprintf(arg, sizeof(arg), "%" PRIu32, cur.arg);
	else if (ops[cur.op].arg)
		snprintf(arg, sizeof(arg), "%d", to_int(cur.arg));
	snprintf(msg, sizeof(msg), "fuzz: divergence at op %lu, %s(%s) on %s[%u] "
		 "from %" PRId64 " (0x%08" PRIx32 "): %s\n", cur.step,
		 ops[cur.op].name, arg, cur.counter, cur.index, cur.start,
		 (uint32_t)cur.start, what);
#ifdef FUZZ_LIBFUZZER
	__sanitizer_report_error_summary(msg);
#else
	fputs(msg, stderr);
	fflush(stderr);
#endif
	abort();
}

static void compare(const struct model_outcome *want,
		    const struct model_outcome *got, enum kind kind)
{
	char w[256], g[256];

	if (want->after == got->after && want->ret == got->ret &&
	    want->event == got->event && want->release == got->release &&
	    want->locked == got->locked)
		return;
	print_outcome(w, sizeof(w), want, kind);
	print_outcome(g, sizeof(g), got, kind);
	fail("expected %s; libkref: %s", w, g);
}

/* ---- debug mode's view ------------------------------------------------ */

/*
 * In debug mode a get or put on a kref whose tracked object was released
 * is reported and not performed, while its count is still a released one
 * (0, or saturated); a live count there is a new object, and the old record
 * is forgotten.  Whether each kref has such a released record: kept across
 * inputs, as debug mode keeps it.
 */
#ifdef KREF_DEBUG
static bool released_record[NKREF], tracked_record[NKREF];

/* True, with @want set to "nothing happens", if debug mode skips @op. */
static bool debug_skips(enum op op, unsigned int k, int64_t old,
			struct model_outcome *want)
{
	if (op == KREF_INIT) {
		released_record[k] = false;
		tracked_record[k] = true;
		return false;
	}
	if (op == KREF_READ || !released_record[k])
		return false;
	if ((int32_t)old > 0) {		/* a new object: the record is forgotten */
		released_record[k] = false;
		return false;
	}
	*want = (struct model_outcome){ old, op == KREF_GET ? MODEL_VOID : 0,
					MODEL_NO_EVENT, false, false };
	return true;
}

static void debug_after(unsigned int k, const struct model_outcome *want)
{
	if (want->release && tracked_record[k]) {
		released_record[k] = true;
		tracked_record[k] = false;
	}
}
#endif

/* ---- one operation ---------------------------------------------------- */

static void run_op(enum op op, unsigned int slot_byte, uint32_t arg)
{
	enum kind kind = ops[op].kind;
	unsigned int slot = slot_byte % (kind == INT ? NINT : kind == KREF ? NKREF : NRCU);
	unsigned int islot = kind == KREF ? NRC + slot : slot;
	refcount_t *r = islot < NRC ? &rc[islot] : &kr[islot - NRC].refcount;
	struct kref *k = &kr[slot % NKREF];
	rcuref_t *rcu = &rr[slot % NRCU];
	int64_t old = kind == RCU ? model_rcu[slot] : model_int[islot];
	struct model_outcome want, got = { 0, MODEL_VOID, MODEL_NO_EVENT, false, false };
	unsigned long reports = atomic_load(&kref_report_once_calls);
	enum lock_kind lock = NO_LOCK;
	int i = to_int(arg);
	bool skipped = false;

	cur.op = op;
	cur.counter = kind == RCU ? "rcuref_t" : islot < NRC ? "refcount_t" :
		      "struct kref";
	cur.index = kind == RCU || islot < NRC ? slot : islot - NRC;
	cur.arg = arg;
	cur.start = old;
	event.calls = 0;
	release_seen.calls = 0;
	release_seen.held = false;

#ifdef KREF_DEBUG
	if (kind == KREF && debug_skips(op, slot, old, &want)) {
		switch (op) {
		case KREF_GET:		kref_get(k); break;
		case KREF_GET_UNLESS_ZERO: got.ret = !!kref_get_unless_zero(k); break;
		case KREF_PUT:		got.ret = kref_put(k, release); break;
		case KREF_PUT_MUTEX:	got.ret = kref_put_mutex(k, release, &mutex); break;
		default:		got.ret = kref_put_lock(k, release, &spin); break;
		}
		skipped = true;
	}
#endif
	if (!skipped) switch (op) {
	case RC_SET:
		want = model_refcount_set(old, i);
		refcount_set(r, i);
		break;
	case RC_SET_RELEASE:
		want = model_refcount_set(old, i);
		refcount_set_release(r, i);
		break;
	case RC_READ:
		want = model_refcount_read(old);
		got.ret = refcount_read(r);
		break;
	case RC_ADD:
		want = model_refcount_add(old, i);
		refcount_add(i, r);
		break;
	case RC_INC:
		want = model_refcount_add(old, 1);
		refcount_inc(r);
		break;
	case RC_ADD_NOT_ZERO:
		want = model_refcount_add_not_zero(old, i);
		got.ret = refcount_add_not_zero(i, r);
		break;
	case RC_ADD_NOT_ZERO_ACQ:
		want = model_refcount_add_not_zero(old, i);
		got.ret = refcount_add_not_zero_acquire(i, r);
		break;
	case RC_INC_NOT_ZERO:
		want = model_refcount_add_not_zero(old, 1);
		got.ret = refcount_inc_not_zero(r);
		break;
	case RC_INC_NOT_ZERO_ACQ:
		want = model_refcount_add_not_zero(old, 1);
		got.ret = refcount_inc_not_zero_acquire(r);
		break;
	case RC_SUB_AND_TEST:
		want = model_refcount_sub_and_test(old, i);
		got.ret = refcount_sub_and_test(i, r);
		break;
	case RC_DEC_AND_TEST:
		want = model_refcount_sub_and_test(old, 1);
		got.ret = refcount_dec_and_test(r);
		break;
	case RC_DEC:
		want = model_refcount_dec(old);
		refcount_dec(r);
		break;
	case RC_DEC_IF_ONE:
		want = model_refcount_dec_if_one(old);
		got.ret = refcount_dec_if_one(r);
		break;
	case RC_DEC_NOT_ONE:
		want = model_refcount_dec_not_one(old);
		got.ret = refcount_dec_not_one(r);
		break;
	case RC_DEC_AND_MUTEX_LOCK:
		want = model_refcount_dec_and_lock(old);
		got.ret = refcount_dec_and_mutex_lock(r, &mutex);
		lock = MUTEX;
		break;
	case RC_DEC_AND_LOCK:
		want = model_refcount_dec_and_lock(old);
		got.ret = refcount_dec_and_lock(r, &spin);
		lock = SPIN;
		break;
	case KREF_INIT:
		want = model_kref_init(old);
		kref_init(k);
		break;
	case KREF_READ:
		want = model_refcount_read(old);
		got.ret = kref_read(k);
		break;
	case KREF_GET:
		want = model_kref_get(old);
		kref_get(k);
		break;
	case KREF_GET_UNLESS_ZERO:
		want = model_kref_get_unless_zero(old);
		got.ret = !!kref_get_unless_zero(k);
		break;
	case KREF_PUT:
		want = model_kref_put(old);
		got.ret = kref_put(k, release);
		break;
	case KREF_PUT_MUTEX:
		want = model_kref_put_locked(old);
		release_seen.lock = MUTEX;
		got.ret = kref_put_mutex(k, release, &mutex);
		release_seen.lock = NO_LOCK;
		got.locked = release_seen.held;
		break;
	case KREF_PUT_LOCK:
		want = model_kref_put_locked(old);
		release_seen.lock = SPIN;
		got.ret = kref_put_lock(k, release, &spin);
		release_seen.lock = NO_LOCK;
		got.locked = release_seen.held;
		break;
	case RCU_INIT:
		want = model_rcuref_init(old, arg);
		rcuref_init(rcu, arg);
		break;
	case RCU_READ:
		want = model_rcuref_read(old);
		got.ret = rcuref_read(rcu);
		break;
	case RCU_GET:
		want = model_rcuref_get(old);
		got.ret = rcuref_get(rcu);
		break;
	case RCU_PUT:
		want = model_rcuref_put(old);
		got.ret = rcuref_put(rcu);
		break;
	case RCU_IS_DEAD:
		want = model_rcuref_is_dead(old);
		got.ret = rcuref_is_dead(rcu);
		break;
	case RCU_PUT_RCUSAFE:
	default:
		want = model_rcuref_put(old);
		got.ret = rcuref_put_rcusafe(rcu);
		break;
	}

	/* A dec_and_lock that returns true holds the lock: we unlock it. */
	if (lock != NO_LOCK && lock_held(lock)) {
		got.locked = true;
		unlock(lock);
	}
	if (lock_held(MUTEX) || lock_held(SPIN))
		fail("a lock is still held after the operation");

	got.after = kind == RCU ? lib_rcu(slot) : lib_int(islot);

	if (event.calls > 1)
		fail("%d saturation reports for one operation", event.calls);
	if (event.calls) {
		if (event.r != r)
			fail("the report names another counter");
		if (event.value != REFCOUNT_SATURATED)
			fail("the handler saw the counter at %d, not saturated",
			     event.value);
		got.event = model_event_of(event.type);
	}
	reports = atomic_load(&kref_report_once_calls) - reports;
	if (reports > 1 || (reports && event.calls))
		fail("%lu rcuref reports and %d saturation reports for one "
		     "operation", reports, event.calls);
	if (reports)
		got.event = op == RCU_GET ? MODEL_RCUREF_SATURATED_REPORT :
			    MODEL_RCUREF_IMBALANCED_REPORT;

	if (release_seen.calls > 1)
		fail("release called %d times", release_seen.calls);
	if (release_seen.calls && release_seen.kref != k)
		fail("release called for another kref");
	got.release = release_seen.calls == 1;

	compare(&want, &got, kind);
#ifdef KREF_DEBUG
	if (kind == KREF)
		debug_after(slot, &want);
#endif

	if (kind == RCU)
		model_rcu[slot] = want.after;
	else
		model_int[islot] = want.after;
	/* No operation touches another counter. */
	for (unsigned int s = 0; s < NINT; s++)
		if (lib_int(s) != model_int[s])
			fail("int slot %u changed to %" PRId64 " (expected %" PRId64 ")",
			     s, lib_int(s), model_int[s]);
	for (unsigned int s = 0; s < NRCU; s++)
		if (lib_rcu(s) != model_rcu[s])
			fail("rcuref_t[%u] changed to %" PRId64 " (expected %" PRId64 ")",
			     s, lib_rcu(s), model_rcu[s]);
}

/* ---- entry points ----------------------------------------------------- */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* Reports must not end the run: the model says when they happen. */
	unsetenv("KREF_ABORT");
	refcount_set_warn_handler(on_event);
	pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };

	/* Every counter starts at one reference; the input sets others.
	 * Plain stores, not kref_init: debug mode's record of each kref
	 * stays as the last input left it, as it would for reused memory. */
	for (unsigned int s = 0; s < NINT; s++) {
		refcount_t *r = s < NRC ? &rc[s] : &kr[s - NRC].refcount;

		kref_atomic_set_(&r->refs, 1);
		model_int[s] = 1;
	}
	for (unsigned int s = 0; s < NRCU; s++) {
		kref_atomic_set_(&rr[s].refcnt, (int)RCUREF_ONEREF);
		model_rcu[s] = 0;
	}
	for (cur.step = 0; in.n; cur.step++) {
		enum op op = (enum op)(next_byte(&in) % NOPS);
		unsigned int slot = next_byte(&in);
		uint32_t arg = ops[op].arg ? next_value(&in) : 0;

		run_op(op, slot, arg);
	}
	return 0;
}
