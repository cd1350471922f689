/* SPDX-License-Identifier: MIT */
/*
 * test_percpu_rseq.c - the fast path is a restartable sequence the kernel
 * accepts: a thread stopped inside it resumes in its abort handler, which
 * starts it over, and never after the stop.
 *
 * A child gets and puts a per-CPU ref in a loop while the parent
 * single-steps it with ptrace.  Every step stops the child, which the
 * kernel counts as a preemption: resuming a thread inside an armed
 * sequence, it moves it to the abort handler.  Single-stepped, the
 * sequence can therefore never commit: the child is seen stopped inside
 * it, armed, yet its loop makes no progress.  A sequence that is not
 * armed commits after a few steps; one whose signature the kernel rejects
 * gets the child killed with SIGSEGV.  Let go, the child must
 * finish its loop and its kill must release the ref once: the restarts
 * added nothing twice.  Preemption inside the sequence is too rare to
 * test by chance, above all under TCG (make check-system), which takes
 * interrupts only between translated blocks.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kref/percpu.h>
#include "percpu_mode.h"
#include "tap.h"

#define STEPS	2000	/* single steps: hundreds of passes through the sequence */
#define LOOPS	1000	/* gets and puts once let go */

#if defined(KREF_PERCPU_RSEQ) && (defined(__x86_64__) || defined(__aarch64__))
static struct percpu_ref ref;
static atomic_int releases;
static volatile unsigned long *progress;	/* shared with the child */

static void on_release(struct percpu_ref *r)
{
	(void)r;
	atomic_fetch_add(&releases, 1);
}

static void child(int done_fd)
{
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0) {
		(void)!write(done_fd, "P", 1);	/* ptrace not permitted here */
		_exit(3);
	}
	raise(SIGSTOP);
	for (int i = 0; i < LOOPS; i++) {
		percpu_ref_get(&ref);
		percpu_ref_put(&ref);
		(*progress)++;
	}
	percpu_ref_kill(&ref);
	(void)!write(done_fd, "D", 1);
	_exit(atomic_load(&releases) == 1 ? 0 : 1);
}

static uintptr_t pc_of(pid_t pid)
{
	struct user_regs_struct regs;
	struct iovec io = { .iov_base = &regs, .iov_len = sizeof(regs) };

	if (ptrace(PTRACE_GETREGSET, pid, (void *)(uintptr_t)NT_PRSTATUS, &io) != 0)
		return 0;
#if defined(__x86_64__)
	return regs.rip;
#else
	return regs.pc;
#endif
}

static unsigned long peek(pid_t pid, uintptr_t addr, bool *fine)
{
	long word;

	errno = 0;
	word = ptrace(PTRACE_PEEKDATA, pid, (void *)addr, NULL);
	*fine = *fine && !errno;
	return (unsigned long)word;
}

/*
 * Whether the child stopped at @pc inside the sequence its rseq area has
 * armed; *@sig: whether that sequence's abort handler follows the
 * signature, as the kernel demands.  The child is a fork of this thread:
 * its rseq area is at the same address as ours.
 */
static bool inside_armed(pid_t pid, uintptr_t pc, bool *sig)
{
	uintptr_t rs = (uintptr_t)__builtin_thread_pointer() + __rseq_offset;
	bool fine = true;
	uintptr_t cs = peek(pid, rs + offsetof(struct rseq, rseq_cs), &fine);
	unsigned long start, len, abort_ip, before;
	uint32_t w;

	if (!fine || !cs)
		return false;
	start = peek(pid, cs + offsetof(struct rseq_cs, start_ip), &fine);
	len = peek(pid, cs + offsetof(struct rseq_cs, post_commit_offset), &fine);
	abort_ip = peek(pid, cs + offsetof(struct rseq_cs, abort_ip), &fine);
	before = peek(pid, abort_ip - 4, &fine);
	memcpy(&w, &before, sizeof(w));		/* the 4 bytes at abort_ip - 4 */
	*sig = fine && w == RSEQ_SIG;
	return fine && pc - start < len;
}

int main(void)
{
	int fds[2], status, steps = 0, inside = 0, signed_ = 0, other = 0;
	unsigned long stepped;
	char done = 0;
	pid_t pid;

	if (!percpu_mode()) {
		printf("1..0 # SKIP per-CPU mode unavailable: no restartable "
		       "sequence to stop in\n");
		return 0;
	}
	progress = mmap(NULL, sizeof(*progress), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (progress == MAP_FAILED || pipe(fds) != 0)
		BAIL_OUT("mmap/pipe failed");
	is(percpu_ref_init(&ref, on_release, 0), 0, "a per-CPU ref");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		BAIL_OUT("fork failed");
	if (pid == 0)
		child(fds[1]);
	close(fds[1]);
	waitpid(pid, &status, 0);
	if (!WIFSTOPPED(status)) {
		if (read(fds[0], &done, 1) == 1 && done == 'P') {
			ok(1, "# SKIP ptrace not permitted here");
			return done_testing();
		}
		BAIL_OUT("the child did not stop (status %#x)", status);
	}
	for (; steps < STEPS; steps++) {
		bool sig = false;

		if (ptrace(PTRACE_SINGLESTEP, pid, NULL, NULL) != 0)
			break;
		waitpid(pid, &status, 0);
		if (!WIFSTOPPED(status))
			break;
		/* A rejected signature is a SIGSEGV, which we then discard. */
		other += WSTOPSIG(status) != SIGTRAP;
		if (inside_armed(pid, pc_of(pid), &sig)) {
			inside++;
			signed_ += sig;
		}
	}
	stepped = *progress;
	ok(steps == STEPS && !other, "the child took %d single steps (%d asked), "
	   "%d stops for another signal than the step's", steps, STEPS, other);
	if (WIFSIGNALED(status))
		diag("the child was killed by signal %d", WTERMSIG(status));
	ok(inside > 0, "it stopped inside the armed sequence (%d times)", inside);
	is(signed_, inside, "  whose abort handler follows the signature, each time");
	is(stepped, 0, "  and no get or put ever committed: the kernel restarted "
	   "the sequence after every stop");
	if (WIFSTOPPED(status))
		ptrace(PTRACE_DETACH, pid, NULL, NULL);
	while (read(fds[0], &done, 1) < 0 && errno == EINTR)
		;
	waitpid(pid, &status, 0);
	is(*progress, LOOPS, "let go, the child ran its %d gets and puts", LOOPS);
	ok(done == 'D' && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "and its kill released the ref once: no restart added twice");
	percpu_ref_exit(&ref);
	return done_testing();
}
#else
int main(void)
{
	printf("1..0 # SKIP no restartable sequence on this architecture or libc\n");
	return 0;
}
#endif
