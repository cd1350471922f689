/* SPDX-License-Identifier: MIT */
/*
 * child.h - run a function in a child process and keep what it wrote to
 * stderr, for tests of what libkref reports.  A child can MARK() the line
 * of a call so the parent knows which file:line the report must name.
 */
#ifndef TESTS_CHILD_H
#define TESTS_CHILD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tap.h"

static char output[32768];

/* In the child, on the line of the call: records "mark NAME FILE:LINE". */
#define MARK(name) fprintf(stderr, "mark %s %s:%d\n", name, __FILE__, __LINE__)

/* Runs fn in a child with KREF_ABORT=abort_env (NULL: unset); the child
 * then exits normally (at-exit handlers run).  Returns its wait status and
 * leaves its stderr in output. */
static int run_child(int (*fn)(void), const char *abort_env)
{
	int fds[2], status = 0;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	fflush(stdout);
	if (pipe(fds) != 0 || (pid = fork()) < 0)
		BAIL_OUT("pipe/fork failed");
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		if (abort_env)
			setenv("KREF_ABORT", abort_env, 1);
		else
			unsetenv("KREF_ABORT");
		fn();
		exit(0);
	}
	close(fds[1]);
	while (len < sizeof(output) - 1 &&
	       (n = read(fds[0], output + len, sizeof(output) - 1 - len)) > 0)
		len += (size_t)n;
	output[len] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	return status;
}

/* How many lines of output are exactly @line. */
static inline int count_lines(const char *line)
{
	size_t n = strlen(line);
	int count = 0;

	for (const char *p = output; (p = strstr(p, line)); p += n)
		if ((p == output || p[-1] == '\n') && p[n] == '\n')
			count++;
	return count;
}

/* "FILE:LINE" of the child's MARK(name), or "?" if it made none. */
static inline const char *marked(const char *name)
{
	static char site[8][256];
	static int next;
	char key[128];
	const char *p;
	char *s = site[next++ % 8];

	snprintf(key, sizeof(key), "mark %s ", name);
	p = strstr(output, key);
	if (!p || sscanf(p + strlen(key), "%255s", s) != 1)
		return "?";
	return s;
}

/* True if output has @before immediately followed by @site. */
static inline int says(const char *before, const char *site)
{
	char want[512];

	snprintf(want, sizeof(want), "%s%s ", before, site);
	return strstr(output, want) != NULL;
}

#endif /* TESTS_CHILD_H */
