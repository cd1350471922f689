/* SPDX-License-Identifier: MIT */
/*
 * percpu_lock.c - the locks of percpu_ref's slow paths (percpu.c's switch
 * lock, percpu_alloc.c's allocator lock), which fork() takes.
 *
 * A lock's word holds its owner's pthread_self(): taking the lock and
 * marking it ours is one compare-and-swap, and giving it back one store.
 * So there is no instant at which a thread holds a lock that it cannot
 * see is its own, and a fork() in a signal handler that interrupted its
 * own thread inside a critical section can tell, and need not wait for
 * itself (fork_prepare() in percpu.c).  A pthread mutex cannot say that:
 * its lock word and its owner are written apart.  The sections these
 * locks guard are short: they never call the program, and never wait for
 * anything but each other.
 *
 * Contended, a thread sleeps on a futex; the holder wakes one sleeper.
 * In a forked child, threads that were waiting in the parent stay counted
 * in waiters (one of them may be the child's own thread, interrupted by
 * the handler that forked): each release then makes one needless futex
 * call, and nothing worse.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <kref/compiler.h>
#include "internal.h"

static uintptr_t self(void)
{
	return (uintptr_t)pthread_self();
}

void kref_futex_wait(atomic_uint *word, unsigned int seen)
{
	/* Returns at once if *word != seen; an interruption or a spurious
	 * wake-up is a return too: callers check and wait again. */
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, seen, NULL, NULL, 0);
}

void kref_futex_wake(atomic_uint *word, int nr)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, nr, NULL, NULL, 0);
}

void kref_lock(struct kref_lock *l)
{
	uintptr_t none = 0, me = self();

	/* Acquire: what the last holder wrote before giving it back is
	 * visible to us. */
	if (!atomic_compare_exchange_strong_explicit(&l->owner, &none, me,
						     memory_order_acquire,
						     memory_order_relaxed)) {
		/* seq_cst, here and in kref_unlock(): we count ourselves in
		 * and then read the owner, the holder clears the owner and
		 * then reads the count; in one total order, one of the two
		 * sees the other's write, so no wake-up is lost. */
		atomic_fetch_add(&l->waiters, 1);
		for (;;) {
			unsigned int seen = atomic_load(&l->wake);

			none = 0;
			if (atomic_compare_exchange_strong(&l->owner, &none, me))
				break;
			kref_futex_wait(&l->wake, seen);
		}
		/* Relaxed: only a count of sleepers; the CAS above ordered. */
		atomic_fetch_sub_explicit(&l->waiters, 1, memory_order_relaxed);
	}
	kref_vg_happens_after(l);
}

void kref_unlock(struct kref_lock *l)
{
	kref_vg_happens_before(l);
	/*
	 * seq_cst (a release at least, for the next holder): see kref_lock().
	 * An exchange, though a seq_cst store would do in C11 and on AArch64
	 * (STLR then LDAR are not reordered): QEMU's TCG on an x86 host
	 * puts no fence between that store and the later load, which the
	 * host's store buffer then reorders, so a waiter could sleep unwoken (the likely
	 * cause of test_stress_debug's hang under make check-system).  A
	 * read-modify-write is a locked instruction there: nothing passes it.
	 */
	atomic_exchange(&l->owner, 0);
	if (atomic_load(&l->waiters)) {
		/* seq_cst: a sleeper that read the old value sleeps no more. */
		atomic_fetch_add(&l->wake, 1);
		kref_futex_wake(&l->wake, 1);
	}
}

bool kref_lock_mine(struct kref_lock *l)
{
	/* Relaxed: only this thread writes its own id there, and it (or a
	 * signal handler on it) reads its own writes in order. */
	return atomic_load_explicit(&l->owner, memory_order_relaxed) == self();
}
