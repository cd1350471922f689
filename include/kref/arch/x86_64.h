/* SPDX-License-Identifier: MIT */
/*
 * kref/arch/x86_64.h - percpu_ref's fast path on x86-64: one restartable
 * sequence (rseq), meeting kref/arch/generic.h's contract.  Included by
 * <kref/percpu.h>; not for direct use.
 */
#ifndef KREF_ARCH_X86_64_H
#define KREF_ARCH_X86_64_H

#include <kref/arch/generic.h>

#ifdef KREF_RSEQ_AVAILABLE_
#define KREF_PERCPU_RSEQ 1

/*
 * The sequence, 10 instructions (docs/percpu.md counts its cycles):
 *
 *	lea	cs(%rip), %rax		arm: the kernel restarts us at 4:
 *	mov	%rax, rseq_cs(rs)	if preempted, migrated or signalled
 *   1:	mov	(pcp), %rcx		counters | mode flags
 *	test	$3, %rcx		atomic or dead: the caller's job
 *	jnz	atomic_mode
 *	mov	cpu_id(rs), %eax
 *	cmp	percpu_ref_nr_cpus_, %eax	a CPU without counters, or
 *	jae	atomic_mode			no rseq on this thread (-1, -2)
 *	shl	$12, %rax		CPU's unit of the chunk
 *	add	delta, (%rcx,%rax)	the commit
 *   2:
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
		"leaq 3b(%%rip), %%rax\n\t"
		"movq %%rax, %c[cs](%[rs])\n\t"
		"1:\n\t"
		"movq (%[pcp]), %%rcx\n\t"
		"testq %[flags], %%rcx\n\t"
		"jnz %l[atomic_mode]\n\t"
		"movl %c[cpu](%[rs]), %%eax\n\t"
		"cmpl %[nr], %%eax\n\t"
		"jae %l[atomic_mode]\n\t"
		"shlq %[shift], %%rax\n\t"
		"addq %[delta], (%%rcx, %%rax)\n\t"
		"2:\n\t"
		".pushsection __rseq_failure, \"ax\"\n\t"
		".byte 0x0f, 0xb9, 0x3d\n\t"		/* ud1: the signature is */
		".long %c[sig]\n\t"			/* its operand */
		"4:\n\t"
		"jmp %l[restart]\n\t"
		".popsection\n\t"
		:
		: [rs] "r" (rs), [pcp] "r" (pcp), [delta] "er" (delta),
		  [flags] "i" (__PERCPU_REF_ATOMIC_DEAD),
		  [nr] "m" (percpu_ref_nr_cpus_),
		  [shift] "i" (KREF_PERCPU_UNIT_SHIFT_),
		  [cs] "i" (offsetof(struct rseq, rseq_cs)),
		  [cpu] "i" (offsetof(struct rseq, cpu_id)), [sig] "i" (RSEQ_SIG)
		: "rax", "rcx", "memory", "cc"
		: atomic_mode, restart);
	return true;
atomic_mode:
	return false;
}
#endif /* KREF_RSEQ_AVAILABLE_ */

#endif /* KREF_ARCH_X86_64_H */
