/* SPDX-License-Identifier: MIT */
/*
 * debug_stack_entry.c - stands for libkref's kref_debug_* entry points in
 * bench/debug_stack.c: linked into the program, or into a shared library
 * with src/debug_stack.c as libkref.so will have it (its thread-local
 * variables are then reached through __tls_get_addr).
 */
#include "../src/debug_stack.h"
#include "debug_stack_bench.h"

NOINLINE unsigned int bench_capture(void)
{
	return kref_chain_capture_(__builtin_return_address(0),
				   __builtin_frame_address(0));
}

void bench_set_unwind(int how)
{
	kref_chain_set_unwind_((enum kref_unwind)how);
}

unsigned int bench_frames(unsigned int id)
{
	const void *pcs[KREF_CHAIN_DEPTH];

	return kref_chain_frames_(id, pcs, KREF_CHAIN_DEPTH);
}
