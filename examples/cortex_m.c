/* SPDX-License-Identifier: MIT */
/*
 * cortex_m.c - what a bare-metal Cortex-M firmware supplies to libkref's
 * freestanding core (<kref/kref.h>, <kref/refcount.h>), which needs no libc
 * and no libkref.a:
 *
 * - refcount_warn_saturate(), called by the inline operations on misuse;
 * - on ARMv6-M (Cortex-M0, M0+, M1), which has no LDREX/STREX and so no
 *   atomic read-modify-write, kref_critical_enter() and kref_critical_exit():
 *   every access to a counter then runs with interrupts masked.
 *
 * For one core, in privileged mode: unprivileged code cannot mask
 * interrupts (CPSID is ignored there), so RTOS tasks running unprivileged
 * must get references through a privileged call.  NMI and HardFault cannot
 * be masked and must not touch counters.  A dual-core part without atomics
 * (RP2040) would also take a hardware spinlock, after masking.
 */
#include <kref/kref.h>

/* Saves PRIMASK and masks interrupts; the "memory" clobbers make both a
 * compiler barrier, which is all the ordering one core needs. */
static inline unsigned long irq_save(void)
{
	unsigned long primask;

	__asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask) : : "memory");
	return primask;
}

/* Restores PRIMASK as it was, so a section entered with interrupts already
 * masked leaves them masked. */
static inline void irq_restore(unsigned long primask)
{
	__asm__ volatile("msr primask, %0" : : "r"(primask) : "memory");
}

#if KREF_ATOMIC_HOOK
unsigned long kref_critical_enter(const void *counter)
{
	(void)counter;
	return irq_save();
}

void kref_critical_exit(const void *counter, unsigned long state)
{
	(void)counter;
	irq_restore(state);
}
#endif

/* The last misuse and how many there were, for a debugger or a fault log. */
volatile int kref_last_saturation = -1;
volatile unsigned int kref_saturations;

/* The counter must be left saturated: it then never reaches 0 again, so
 * the object leaks instead of being freed early or twice. */
void refcount_warn_saturate(refcount_t *r, enum refcount_saturation_type t)
{
	unsigned long state;

	refcount_set(r, REFCOUNT_SATURATED);
	state = irq_save();	/* an interrupt handler may misuse one too */
	kref_last_saturation = (int)t;
	kref_saturations = kref_saturations + 1;
	irq_restore(state);
}
