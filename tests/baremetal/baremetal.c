/* SPDX-License-Identifier: MIT */
/*
 * baremetal.c - the freestanding core on a Cortex-M with no OS and no libc,
 * linked with examples/cortex_m.c and tests/baremetal/baremetal.ld, run by
 * tests/baremetal/baremetal.sh under qemu-system-arm (micro:bit for Cortex-M0,
 * MPS2-AN386 for Cortex-M4).  Prints TAP through semihosting and exits
 * with its verdict.
 */
#include <kref/kref.h>

extern volatile int kref_last_saturation;	/* examples/cortex_m.c */
extern volatile unsigned int kref_saturations;

/* ---- semihosting: the debugger's calls, which QEMU answers ------------ */

#define SYS_WRITE0	0x04
#define SYS_EXIT	0x18
#define EXIT_OK		0x20026		/* ADP_Stopped_ApplicationExit */
#define EXIT_FAILED	0x20023		/* ADP_Stopped_RunTimeErrorUnknown */

static void semihost(int op, const void *arg)
{
	register int r0 __asm__("r0") = op;
	register const void *r1 __asm__("r1") = arg;

	__asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
}

static void put(const char *s)
{
	semihost(SYS_WRITE0, s);
}

static void put_uint(unsigned int n)
{
	static const unsigned int tens[] = { 1000000000, 100000000, 10000000,
		1000000, 100000, 10000, 1000, 100, 10, 1 };
	char buf[12], *p = buf;

	/* No division: ARMv6-M has no divide instruction, and we link no
	 * libgcc. */
	for (unsigned int i = 0; i < sizeof(tens) / sizeof(tens[0]); i++) {
		char digit = '0';

		while (n >= tens[i]) {
			n -= tens[i];
			digit++;
		}
		if (digit != '0' || p != buf || tens[i] == 1)
			*p++ = digit;
	}
	*p = '\0';
	put(buf);
}

static unsigned int tests_run, tests_failed;

static void ok(int pass, const char *what)
{
	put(pass ? "ok " : "not ok ");
	put_uint(++tests_run);
	put(" - ");
	put(what);
	put("\n");
	tests_failed += !pass;
}

/* ---- the checks ------------------------------------------------------- */

struct obj {
	int payload;
	struct kref ref;
};

static int releases;

static void obj_release(struct kref *ref)
{
	container_of(ref, struct obj, ref)->payload = -1;
	releases++;
}

static int saturated_by(refcount_t *r, int event)
{
	return refcount_read(r) == (unsigned int)REFCOUNT_SATURATED &&
	       kref_last_saturation == event;
}

static void check_kref(void)
{
	static struct obj o;

	kref_init(&o.ref);
	kref_get(&o.ref);
	ok(kref_read(&o.ref) == 2, "kref_init, kref_get: count 2");
	ok(!kref_put(&o.ref, obj_release) && releases == 0,
	   "kref_put: not the last, nothing released");
	ok(kref_put(&o.ref, obj_release) && releases == 1 && o.payload == -1,
	   "kref_put: the last, released once");
	ok(!kref_get_unless_zero(&o.ref) && kref_read(&o.ref) == 0,
	   "kref_get_unless_zero on 0 fails, count stays 0");
	ok(!kref_put(&o.ref, obj_release) && releases == 1 &&
	   saturated_by(&o.ref.refcount, REFCOUNT_SUB_UAF),
	   "a put too many saturates, reports SUB_UAF, never releases again");
}

static void check_refcount(void)
{
	refcount_t r = REFCOUNT_INIT(0);

	refcount_inc(&r);
	ok(saturated_by(&r, REFCOUNT_ADD_UAF), "refcount_inc on 0: ADD_UAF");

	refcount_set(&r, REFCOUNT_MAX);
	refcount_inc(&r);
	ok(saturated_by(&r, REFCOUNT_ADD_OVF), "refcount_inc on MAX: ADD_OVF");

	refcount_set(&r, REFCOUNT_MAX - 1);
	ok(refcount_add_not_zero(2, &r) &&
	   saturated_by(&r, REFCOUNT_ADD_NOT_ZERO_OVF),
	   "refcount_add_not_zero past MAX: ADD_NOT_ZERO_OVF");

	refcount_set(&r, 1);
	refcount_dec(&r);
	ok(saturated_by(&r, REFCOUNT_DEC_LEAK), "refcount_dec to 0: DEC_LEAK");

	refcount_set(&r, 3);
	refcount_add(2, &r);
	ok(refcount_read(&r) == 5 && !refcount_sub_and_test(4, &r) &&
	   refcount_dec_and_test(&r) && refcount_read(&r) == 0,
	   "add 2, sub 4, dec: 5, 1, then 0 and true");
	ok(!refcount_inc_not_zero(&r) && refcount_read(&r) == 0,
	   "refcount_inc_not_zero on 0 fails");

	refcount_set(&r, 2);
	ok(!refcount_dec_if_one(&r) && refcount_dec_not_one(&r) &&
	   !refcount_dec_not_one(&r) && refcount_dec_if_one(&r) &&
	   refcount_read(&r) == 0,
	   "dec_if_one and dec_not_one at 2 and 1");

	ok(kref_saturations == 5, "five misuses, five reports");
}

#if KREF_ATOMIC_HOOK
static unsigned long primask(void)
{
	unsigned long m;

	__asm__ volatile("mrs %0, primask" : "=r"(m));
	return m;
}

static void check_critical_section(void)
{
	struct kref k = KREF_INIT(1);
	unsigned long state = kref_critical_enter(&k);

	ok(primask() == 1, "hook: kref_critical_enter masks interrupts");
	kref_critical_exit(&k, state);
	ok(primask() == 0, "  kref_critical_exit unmasks them");

	__asm__ volatile("cpsid i" : : : "memory");
	kref_get(&k);
	ok(primask() == 1, "  a get made with them masked leaves them masked");
	__asm__ volatile("cpsie i" : : : "memory");
	ok(kref_read(&k) == 2, "  and counts");
}
#endif

/* SysTick: the Cortex-M timer every core has; it interrupts every 2,000
 * processor cycles here. */
#define SYST_CSR	(*(volatile unsigned int *)0xE000E010)
#define SYST_RVR	(*(volatile unsigned int *)0xE000E014)
#define SYST_CVR	(*(volatile unsigned int *)0xE000E018)

static struct obj shared;
static volatile unsigned int taken;

/* The handler takes a reference that the main loop puts.  An interrupt
 * that lands between the load and the store of the main loop's update
 * would lose it (baremetal.sh runs QEMU one instruction per block, so it
 * can land there), and the count would reach 0. */
static void systick(void)
{
	kref_get(&shared.ref);
	taken++;
}

static void check_interrupt_handler(void)
{
	unsigned int returned = 0, rounds = 0, before = (unsigned int)releases;

	kref_init(&shared.ref);
	SYST_RVR = 2000 - 1;
	SYST_CVR = 0;
	SYST_CSR = 7;	/* enable, interrupt, processor clock */
	while (returned < 200 && ++rounds < 10000000) {
		kref_get(&shared.ref);
		kref_put(&shared.ref, obj_release);
		if (returned != taken) {
			kref_put(&shared.ref, obj_release);
			returned++;
		}
	}
	SYST_CSR = 0;
	for (; returned != taken; returned++)
		kref_put(&shared.ref, obj_release);
	ok(returned >= 200, "an interrupt handler took 200 references; main put them");
	ok(kref_read(&shared.ref) == 1 && (unsigned int)releases == before,
	   "  racing the main loop's gets and puts: none lost");
}

static int main_(void)
{
	put(KREF_ATOMIC_HOOK ? "# counters updated in critical sections\n" :
			       "# counters updated with LDREX/STREX\n");
	check_kref();
	check_refcount();
#if KREF_ATOMIC_HOOK
	check_critical_section();
#endif
	check_interrupt_handler();
	put("1..");
	put_uint(tests_run);
	put("\n");
	return tests_failed == 0;
}

/* ---- start-up: vector table, data and bss, exit ----------------------- */

extern char __stack_top[], __data_load[], __data_start[], __data_end[];
extern char __bss_start[], __bss_end[];

void reset(void);

static void fault(void)
{
	put("Bail out! fault\n");
	semihost(SYS_EXIT, (const void *)EXIT_FAILED);
}

__attribute__((section(".vectors"), used))
static void (*const vectors[16])(void) = {
	[0] = (void (*)(void))__stack_top, [1] = reset,
	[2] = fault, [3] = fault, [15] = systick,	/* NMI, HardFault */
};

void reset(void)
{
	for (char *s = __data_load, *d = __data_start; d < __data_end;)
		*d++ = *s++;
	for (char *d = __bss_start; d < __bss_end;)
		*d++ = 0;
	semihost(SYS_EXIT, (const void *)(main_() ? EXIT_OK : EXIT_FAILED));
	for (;;)
		;
}
