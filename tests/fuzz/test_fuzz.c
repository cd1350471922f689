/* SPDX-License-Identifier: MIT */
/*
 * test_fuzz.c - the fuzzer's corpus without libFuzzer: each file of
 * tests/fuzz/corpus/ (or each FILE given) through LLVMFuzzerTestOneInput in
 * a child process, one TAP line per file, so that every compiler and mode
 * of make check holds the library to the model on the committed inputs.
 *
 * Build: tests/fuzz/fuzz_refcount.c tests/fuzz/model.c
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tap.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t data[1 << 20];
static size_t size;

static char output[16384];

/*
 * Runs the input in a child whose stderr goes to a file, however much debug
 * mode writes there; keeps the end of it, where the child's last words are.
 */
static int run_input(void)
{
	FILE *err = tmpfile();
	int status = 0;
	long len;
	pid_t pid;

	fflush(stdout);
	if (!err || (pid = fork()) < 0)
		BAIL_OUT("tmpfile/fork failed");
	if (pid == 0) {
		dup2(fileno(err), STDERR_FILENO);
		LLVMFuzzerTestOneInput(data, size);
		exit(0);
	}
	waitpid(pid, &status, 0);
	fseek(err, 0, SEEK_END);
	len = ftell(err);
	fseek(err, len > (long)sizeof(output) - 1 ? len - (long)sizeof(output) + 1 : 0,
	      SEEK_SET);
	output[fread(output, 1, sizeof(output) - 1, err)] = '\0';
	fclose(err);
	return status;
}

/* Shows the divergence or the sanitizer's report, else the end of stderr. */
static void explain(void)
{
	const char *p = strstr(output, "fuzz: ");

	if (!p)
		p = strstr(output, "ERROR: ");
	if (!p)
		p = strstr(output, "runtime error");
	if (!p) {
		p = output + strlen(output);
		for (int lines = 0; p > output && lines < 9; lines += *--p == '\n')
			;
	}
	for (int lines = 0; *p && lines < 8; lines++) {
		const char *end = strchr(p, '\n');
		int len = end ? (int)(end - p) : (int)strlen(p);

		printf("#   %.*s\n", len, p);
		p += len + (end != NULL);
	}
}

static void replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	int status;

	if (!f) {
		ok(0, "%s: cannot open", path);
		return;
	}
	size = fread(data, 1, sizeof(data), f);
	fclose(f);
	status = run_input();
	if (!ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		"%s (%zu bytes) agrees with the model", path, size))
		explain();
}

static int is_input(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

int main(int argc, char **argv)
{
	const char *dir = "tests/fuzz/corpus";
	struct dirent **names;
	int n;

	LLVMFuzzerInitialize(&argc, &argv);
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			replay_file(argv[i]);
		return done_testing();
	}
	n = scandir(dir, &names, is_input, alphasort);
	if (n < 0)
		BAIL_OUT("%s: cannot read (run from the top of the tree)", dir);
	for (int i = 0; i < n; i++) {
		char path[512];

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		replay_file(path);
		free(names[i]);
	}
	free(names);
	if (n == 0)
		ok(0, "%s holds inputs", dir);
	return done_testing();
}
