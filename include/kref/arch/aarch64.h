/* SPDX-License-Identifier: MIT */
/*
 * kref/arch/aarch64.h - percpu_ref's fast path on aarch64: one restartable
 * sequence (rseq), meeting kref/arch/generic.h's contract.  Included by
 * <kref/percpu.h>; not for direct use.
 */
#ifndef KREF_ARCH_AARCH64_H
#define KREF_ARCH_AARCH64_H

#include <kref/arch/generic.h>

#ifdef KREF_RSEQ_AVAILABLE_
#define KREF_PERCPU_RSEQ 1

/*
 * The sequence, 14 instructions (a load/store architecture: the x86-64
 * sequence's add to memory is a load, an add and a store here, and the
 * descriptor's address takes two):
 *
 *	adrp	x9, cs			arm: the kernel restarts us at 4:
 *	add	x9, x9, :lo12:cs	if preempted, migrated or signalled
 *	str	x9, [rs, #rseq_cs]
 *   1:	ldr	x10, [pcp]		counters | mode flags
 *	tst	x10, #3			atomic or dead: the caller's job
 *	b.ne	atomic_mode
 *	ldr	w9, [rs, #cpu_id]
 *	ldr	w11, percpu_ref_nr_cpus_	a CPU without counters, or
 *	cmp	w9, w11				no rseq on this thread (-1, -2)
 *	b.hs	atomic_mode
 *	add	x10, x10, x9, lsl #12	the CPU's unit of the chunk
 *	ldr	x11, [x10]
 *	add	x11, x11, delta
 *	str	x11, [x10]		the commit
 *   2:
 *
 * The abort handler, out of line, is preceded by glibc's RSEQ_SIG_CODE,
 * BRK #0x45e0 as an instruction: the kernel checks the 32-bit word before
 * abort_ip against the signature glibc registered (RSEQ_SIG, the same
 * word read as data, whatever the data endianness).  The kernel clears
 * rseq_cs when it aborts us, so the restart arms the sequence again.
 * No barrier: the counter's address depends on the pointer's load, and
 * the switch orders everything else with membarrier (docs/ordering.md).
 */
static inline bool percpu_ref_arch_add_(kref_atomic_ulong *pcp,
					unsigned long delta)
{
	struct rseq *rs = kref_rseq_area_();

restart:
	__asm__ goto(
		".pushsection __rseq_cs, \"aw\"\n\t"
		".balign 32\n\t"
		"3:\n\t"
		".long 0, 0\n\t"			/* version, flags */
		".quad 1f, 2f - 1f, 4f\n\t"		/* start, length, abort */
		".popsection\n\t"
		"adrp x9, 3b\n\t"
		"add x9, x9, :lo12:3b\n\t"
		"str x9, [%[rs], #%c[cs]]\n\t"
		"1:\n\t"
		"ldr x10, [%[pcp]]\n\t"
		"tst x10, #%c[flags]\n\t"
		"b.ne %l[atomic_mode]\n\t"
		"ldr w9, [%[rs], #%c[cpu]]\n\t"
		"ldr w11, %[nr]\n\t"
		"cmp w9, w11\n\t"
		"b.hs %l[atomic_mode]\n\t"
		"add x10, x10, x9, lsl #%c[shift]\n\t"
		"ldr x11, [x10]\n\t"
		"add x11, x11, %[delta]\n\t"
		"str x11, [x10]\n\t"
		"2:\n\t"
		".pushsection __rseq_failure, \"ax\"\n\t"
		".inst %c[sig]\n\t"
		"4:\n\t"
		"b %l[restart]\n\t"
		".popsection\n\t"
		:
		: [rs] "r" (rs), [pcp] "r" (pcp), [delta] "rI" (delta),
		  [flags] "i" (__PERCPU_REF_ATOMIC_DEAD),
		  [nr] "m" (percpu_ref_nr_cpus_),
		  [shift] "i" (KREF_PERCPU_UNIT_SHIFT_),
		  [cs] "i" (offsetof(struct rseq, rseq_cs)),
		  [cpu] "i" (offsetof(struct rseq, cpu_id)),
		  [sig] "i" (RSEQ_SIG_CODE)
		: "x9", "x10", "x11", "memory", "cc"
		: atomic_mode, restart);
	return true;
atomic_mode:
	return false;
}
#endif /* KREF_RSEQ_AVAILABLE_ */

#endif /* KREF_ARCH_AARCH64_H */
