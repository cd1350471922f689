/* SPDX-License-Identifier: MIT */
/*
 * debug_stack_bench.h - what bench/debug_stack.c and its call chains share.
 */
#ifndef BENCH_DEBUG_STACK_H
#define BENCH_DEBUG_STACK_H

#define NOINLINE __attribute__((noinline))

/* Stands for a public kref_debug_* entry point: captures its caller's chain. */
typedef unsigned int (*capture_fn)(void);

/* Six frames down to f(); fp_chain's are built with frame pointers,
 * nofp_chain's without. */
unsigned int fp_chain(capture_fn f);
unsigned int nofp_chain(capture_fn f);

/* debug_stack_entry.c: capture as kref_debug_get() will; the depot's walk
 * (enum kref_unwind); the frames in a chain. */
unsigned int bench_capture(void);
void bench_set_unwind(int how);
unsigned int bench_frames(unsigned int id);

#endif /* BENCH_DEBUG_STACK_H */
