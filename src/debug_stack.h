/* SPDX-License-Identifier: MIT */
/*
 * debug_stack.h - call chains for debug mode; not installed.
 *
 * A debug-mode operation records the chain of return addresses that led to
 * it, so that a report names the caller of the program's obj_get() helper,
 * not only the helper.  Chains are captured at every operation (cheap: a
 * frame-pointer walk and a hash lookup), kept once each in a depot that
 * only grows, and named (function, file:line) only when a report is
 * printed.
 *
 * Capture (debug_stack.c): by default a walk of the frame-pointer chain
 * (x86-64, AArch64), exact for code built with -fno-omit-frame-pointer and
 * cut short, never wrong by a fault, for code built without: some 10 ns
 * for 8 frames with a warm depot.  KREF_DEBUG_UNWIND=exact in the
 * environment selects libgcc's DWARF unwinder (_Unwind_Backtrace; the only
 * one on other architectures): exact for any code with unwind tables, but
 * about a microsecond (bench/debug_stack.c has the figures).
 *
 * Depot (debug_stack.c): an open-addressing hash table in mmap'd memory,
 * filled with compare-and-swap, never locked: capture may run inside a
 * malloc interposer, in a fork child, in a signal handler (on a thread
 * that has captured before: the first capture looks the stack's bounds
 * up, which is not async-signal-safe).  Ids are stable
 * for the life of the process and its fork children.  It keeps 65,534
 * chains in 4.6 MiB of address space, touched as it fills.
 *
 * Symbols (debug_symbols.c): elfutils' libdwfl when built with
 * KREF_HAVE_LIBDW; else dladdr() names and "module+0xoffset".
 */
#ifndef KREF_DEBUG_STACK_H
#define KREF_DEBUG_STACK_H

#include <stddef.h>
#include <stdint.h>

#pragma GCC visibility push(hidden)

/* A chain in the depot; 0 is no chain. */
typedef uint32_t kref_chain_t;

#define KREF_CHAIN_NONE	0u
/* The depot was full: the chain was not kept. */
#define KREF_CHAIN_FULL	1u

/*
 * The frames kept per chain.  The first is the program's helper around
 * kref_get (obj_get), the second its caller, and so on: 8 reach past a
 * helper, the object layer that calls it and a few callers of that, which
 * is what tells two paths to an object apart.  Each frame more costs a
 * memory read at every operation and 8 bytes per chain.
 */
#define KREF_CHAIN_DEPTH 8

/* How capture walks the stack. */
enum kref_unwind {
	KREF_UNWIND_FP,		/* frame pointers (default where supported) */
	KREF_UNWIND_EXACT,	/* _Unwind_Backtrace (KREF_DEBUG_UNWIND=exact) */
};

/**
 * kref_chain_capture_ - the calling thread's chain, kept in the depot
 * @from: the first frame kept: the return address into the program, i.e.
 *	__builtin_return_address(0) in the public kref_debug_* entry point
 * @frame: __builtin_frame_address(0) in that same entry point.  Taking it
 *	gives the entry point a frame record however the library is built,
 *	and the walk starts at the record that returns to @from: the entry
 *	point's, found from this function's own record, up to 4 records up
 *	(the entry point may call this through helpers), or this function's
 *	own (the entry point tail-called it).  If none does, only @from is
 *	kept.
 *
 * Every frame-pointer read is checked first: inside the calling thread's
 * stack, above the previous frame, aligned; the walk stops at the first
 * that is not.  A program's frames can thus cut a chain short or, for code
 * without frame pointers, add a wrong frame after the last right one, but
 * never make capture fault.  Thread-safe and lock-free; never calls malloc
 * except once per thread for the stack's bounds (pthread_getattr_np), and
 * a capture nested in that call (a malloc interposer's) keeps @from alone.
 * (The exact walk is libgcc's, which allocates at its first unwind in a
 * program linked with -static, whose unwind tables it then sorts.)
 *
 * Return: the chain's id, the same for the same chain in any thread;
 * KREF_CHAIN_FULL if the depot is full (or could not be mapped).
 */
kref_chain_t kref_chain_capture_(const void *from, const void *frame);

/**
 * kref_chain_format_ - a chain for a report, one frame per line
 * @id: from kref_chain_capture_()
 * @indent: written before each line
 * @buf: where to write; always NUL-terminated if @room > 0
 * @room: its size
 *
 * Each line is "@indent#N FUNC FILE:LINE\n"; without line information
 * "@indent#N FUNC MODULE+0xOFF\n" (FUNC left out if unknown too; OFF is
 * the return address in the module's file, as addr2line -e MODULE takes
 * it); "@indent#N 0xADDR\n" outside any module.  The line is the call's:
 * the return address minus one is looked up.  KREF_CHAIN_FULL formats as
 * "@indent(call chain not kept: depot full)\n", KREF_CHAIN_NONE as nothing.
 * Takes a lock and may allocate (libdwfl): for reports, not for hot paths.
 *
 * Return: the bytes written, at most @room - 1 (a line that does not fit
 * is left out whole).
 */
size_t kref_chain_format_(kref_chain_t id, const char *indent, char *buf,
			  size_t room);

/**
 * kref_chain_format_line_ - a chain on one line, for a history entry
 * @id: from kref_chain_capture_()
 * @n: the frames to write, at most (0: all)
 * @buf: where to write; always NUL-terminated if @room > 0
 * @room: its size
 *
 * "FUNC FILE:LINE < FUNC FILE:LINE < ...", callee first, no newline.
 *
 * Return: the bytes written, at most @room - 1.
 */
size_t kref_chain_format_line_(kref_chain_t id, unsigned int n, char *buf,
			       size_t room);

/**
 * kref_chain_frames_ - the return addresses of a chain
 * @id: from kref_chain_capture_()
 * @pcs: where to copy them, innermost first
 * @max: @pcs' length
 *
 * Return: the number of frames copied (0 for KREF_CHAIN_NONE and FULL).
 */
unsigned int kref_chain_frames_(kref_chain_t id, const void **pcs,
				unsigned int max);

/*
 * The capture method: chosen from KREF_DEBUG_UNWIND at the first capture;
 * set, for tests and benchmarks, at any time (captures already running
 * finish with the method they started with).
 */
enum kref_unwind kref_chain_unwind_(void);
void kref_chain_set_unwind_(enum kref_unwind how);

/* For tests: chains kept, and the depot's capacity. */
void kref_chain_stats_(size_t *chains, size_t *capacity);

#pragma GCC visibility pop

#endif /* KREF_DEBUG_STACK_H */
