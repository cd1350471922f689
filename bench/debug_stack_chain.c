/* SPDX-License-Identifier: MIT */
/*
 * debug_stack_chain.c - six calls down to a capture, for bench/debug_stack.c.
 * Built twice: with frame pointers (-DCHAIN=fp) and without (-DCHAIN=nofp),
 * as the program around a kref operation may be.
 */
#include "debug_stack_bench.h"

#define NAME_(a, b)	a##_##b
#define NAME(a, b)	NAME_(a, b)

/* Read after each call, so that none is a tail call (a frame lost). */
volatile unsigned int NAME(CHAIN, sink);

#define LEVEL(this, next)						\
	static NOINLINE unsigned int this(capture_fn f)			\
	{								\
		return next + NAME(CHAIN, sink);			\
	}

LEVEL(c6, f())
LEVEL(c5, c6(f))
LEVEL(c4, c5(f))
LEVEL(c3, c4(f))
LEVEL(c2, c3(f))
LEVEL(c1, c2(f))

NOINLINE unsigned int NAME(CHAIN, chain)(capture_fn f)
{
	return c1(f) + NAME(CHAIN, sink);
}
