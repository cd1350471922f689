/* SPDX-License-Identifier: MIT */
/*
 * system-init.c - the /init of check-system.sh's guest: a Linux booted under
 * qemu-system with nothing but this program, the C unit tests and their
 * libraries in its initramfs.
 *
 * It mounts what the tests use, checks that per-CPU mode is on here (its
 * own TAP stream, "system-init"), runs each test named in /tests/list in
 * turn, each bounded by kref_timeout= seconds (kernel command line), and
 * powers off.  Each program's output goes to the console between two
 * marker lines, which check-system.sh splits back into one stream per
 * program:
 *	@@kref-system begin NAME
 *	@@kref-system end NAME exit N | signal N | timeout
 * Linked statically with libkref.a: PID 1 must not depend on the
 * libraries it is there to test, and a static program is where glibc's
 * rseq registration is least obvious, so that is checked too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/rseq.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <kref/percpu.h>

#define MARK "@@kref-system"

static void console(void)
{
	int fd = open("/dev/console", O_RDWR | O_NOCTTY);

	if (fd < 0)
		return;		/* the kernel's console fds, if any, stay */
	for (int i = 0; i < 3; i++)
		dup2(fd, i);
	if (fd > 2)
		close(fd);
}

static int mount_fs(const char *type, const char *dir)
{
	mkdir(dir, 0755);
	if (mount(type, dir, type, 0, NULL) == 0 || errno == EBUSY)
		return 0;
	printf("# system-init: mount %s on %s: %s\n", type, dir, strerror(errno));
	return -1;
}

static void power_off(void)
{
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	for (;;)		/* PID 1 must not exit: that panics */
		pause();
}

/* Reap every child (orphans are ours); return @pid's status if it ended. */
static int reap(pid_t pid, int *status)
{
	int st, found = 0;
	pid_t p;

	while ((p = waitpid(-1, &st, WNOHANG)) > 0)
		if (p == pid) {
			*status = st;
			found = 1;
		}
	return found;
}

static void run(const char *name, long timeout)
{
	char path[300];
	sigset_t chld;
	struct timespec left = { .tv_sec = timeout };
	struct timespec start, now;
	int status = 0, done = 0;
	pid_t pid;

	snprintf(path, sizeof(path), "/tests/%s", name);
	printf("%s begin %s\n", MARK, name);
	fflush(stdout);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	clock_gettime(CLOCK_MONOTONIC, &start);
	pid = fork();
	if (pid == 0) {
		/* A group of its own, so a timeout kills its children too. */
		setpgid(0, 0);
		sigprocmask(SIG_UNBLOCK, &chld, NULL);
		execl(path, name, (char *)NULL);
		printf("# system-init: exec %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	if (pid < 0) {
		printf("# system-init: fork: %s\n", strerror(errno));
		printf("%s end %s exit 127\n", MARK, name);
		return;
	}
	setpgid(pid, pid);
	/* SIGCHLD is blocked: sigtimedwait wakes for it, with no handler. */
	while (!(done = reap(pid, &status))) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		left.tv_sec = timeout - (now.tv_sec - start.tv_sec);
		if (left.tv_sec <= 0)
			break;
		sigtimedwait(&chld, NULL, &left);
	}
	/* Whatever the test left behind must not write into the next one. */
	kill(-pid, SIGKILL);
	if (!done) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		printf("\n%s end %s timeout\n", MARK, name);
	} else if (WIFSIGNALED(status)) {
		printf("\n%s end %s signal %d\n", MARK, name, WTERMSIG(status));
	} else {
		printf("\n%s end %s exit %d\n", MARK, name, WEXITSTATUS(status));
	}
	fflush(stdout);
}

/* Our own checks, as one TAP program, "system-init". */
static void self_check(long want)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int n = 0;

	printf("%s begin system-init\n", MARK);
	printf("%sok %d - PID 1\n", getpid() == 1 ? "" : "not ", ++n);
	printf("%sok %d - %ld CPUs online, as kref_cpus=%ld asked\n",
	       cpus == want ? "" : "not ", ++n, cpus, want);
	printf("%sok %d - glibc registered an rseq area for this static "
	       "program (__rseq_size %u)\n", __rseq_size > 0 ? "" : "not ",
	       ++n, __rseq_size);
	printf("%sok %d - per-CPU mode is available "
	       "(percpu_ref_percpu_available)\n",
	       percpu_ref_percpu_available() ? "" : "not ", ++n);
	printf("1..%d\n%s end system-init exit 0\n", n, MARK);
	fflush(stdout);
}

int main(void)
{
	/* From the kernel's command line, before clearenv(). */
	const char *t = getenv("kref_timeout"), *c = getenv("kref_cpus");
	long timeout = t ? strtol(t, NULL, 10) : 0;
	long cpus = c ? strtol(c, NULL, 10) : 0;
	char line[256];
	sigset_t chld;
	FILE *list;

	if (timeout <= 0)
		timeout = 300;
	mount_fs("devtmpfs", "/dev");
	console();
	setvbuf(stdout, NULL, _IOLBF, 0);
	mount_fs("proc", "/proc");
	mount_fs("sysfs", "/sys");
	mount_fs("tmpfs", "/tmp");
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	/* What the tests expect: KREF_EXEC says they run emulated (slower:
	 * smaller sizes), and KREF_REQUIRE_PERCPU makes a test that would
	 * skip for lack of per-CPU mode fail instead. */
	clearenv();
	setenv("PATH", "/tests", 1);
	setenv("HOME", "/tmp", 1);
	setenv("TMPDIR", "/tmp", 1);
	setenv("LD_LIBRARY_PATH", "/lib", 1);
	setenv("KREF_EXEC", "qemu-system (TCG)", 1);
	setenv("KREF_REQUIRE_PERCPU", "1", 1);

	if (chdir("/") != 0)
		printf("# system-init: chdir /: %s\n", strerror(errno));
	self_check(cpus);
	list = fopen("/tests/list", "r");
	if (!list) {
		printf("# system-init: /tests/list: %s\n", strerror(errno));
		power_off();
	}
	while (fgets(line, sizeof(line), list)) {
		line[strcspn(line, "\n")] = '\0';
		if (*line)
			run(line, timeout);
	}
	fclose(list);
	printf("%s done\n", MARK);
	power_off();
}
