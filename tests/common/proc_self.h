/* SPDX-License-Identifier: MIT */
/*
 * proc_self.h - what tests and benchmarks read of this process in /proc:
 * a thread's scheduling state, and the memory counters of its status.
 */
#ifndef TESTS_PROC_SELF_H
#define TESTS_PROC_SELF_H

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* The state letter of thread @tid ('S': blocked), or 0 if unknown. */
static inline char task_state(pid_t tid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/*
 * Bytes of the process's anonymous memory from /proc/self/status: @key
 * "VmData:" is what it has mapped (the heap, anonymous mappings),
 * "RssAnon:" what of that is resident.  Not statm's resident size, which
 * also counts the pages of the program and libc mapped in on first use: in
 * make check-system's guest those live in the initramfs, in shmem.
 */
static inline long status_bytes(const char *key)
{
	char line[128];
	long kb = 0;
	size_t len = strlen(key);
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && sscanf(line + len, "%ld", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb * 1024;
}

#endif /* TESTS_PROC_SELF_H */
