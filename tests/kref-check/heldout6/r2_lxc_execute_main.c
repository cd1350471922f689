/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: lxc/lxc commit
 * 020c90b702da04cde6b67e9632b0b09f3427ba21 "tools: fix container
 * use-after-free" (PR #2223), src/lxc/tools/lxc_execute.c, main().
 * lxc-execute drops its container reference with lxc_container_put()
 * right after c->start() returns, then reads c->daemonize and
 * c->error_num to choose its exit status: a use after the put, which was
 * the last one.  The fix routes every exit through an `out:` label that
 * puts the container once, after the last use.  lxc_container's
 * numthreads count is written with a kref (lxc_container_new() returns the
 * first reference).
 */
#include <stdlib.h>
#include <stdio.h>
#include <stdbool.h>
#include <signal.h>
#include <sys/wait.h>
#include <kref.h>

struct lxc_container {
	struct kref numthreads;
	bool daemonize;
	int error_num;
	bool (*load_config)(struct lxc_container *c, const char *alt_file);
	bool (*set_config_item)(struct lxc_container *c, const char *key, const char *value);
	bool (*start)(struct lxc_container *c, int useinit, char *const argv[]);
};

struct lxc_arguments { const char *name, *lxcpath, *rcfile; int daemonize; char **argv; };
static struct lxc_arguments my_args;

/* A new container object with one reference for the caller, or NULL. */
extern struct lxc_container *lxc_container_new(const char *name, const char *configpath);
/* Parses argv into my_args; nonzero on error. */
extern int lxc_arguments_parse(struct lxc_arguments *args, int argc, char *argv[]);
/* Sets lxc.namespace.share.* from the arguments; false on error. */
extern bool lxc_setup_shared_ns(struct lxc_arguments *args, struct lxc_container *c);
/* Frees the container (lxc_container_free()). */
extern void lxc_container_free(struct lxc_container *c);

static void container_release(struct kref *ref)
{
	lxc_container_free(container_of(ref, struct lxc_container, numthreads));
}

int lxc_container_put(struct lxc_container *c)
{
	return kref_put(&c->numthreads, container_release);
}

int main(int argc, char *argv[])
{
	struct lxc_container *c;
	bool bret;

	if (lxc_arguments_parse(&my_args, argc, argv))
		exit(EXIT_FAILURE);

	c = lxc_container_new(my_args.name, my_args.lxcpath);
	if (!c) {
		fprintf(stderr, "Failed to create lxc_container\n");
		exit(EXIT_FAILURE);
	}

	if (my_args.rcfile) {
		if (!c->load_config(c, my_args.rcfile)) {
			fprintf(stderr, "Failed to load rcfile\n");
			lxc_container_put(c);
			exit(EXIT_FAILURE);
		}
	}

	if (!lxc_setup_shared_ns(&my_args, c)) {
		lxc_container_put(c);
		exit(EXIT_FAILURE);
	}

	c->daemonize = my_args.daemonize == 1;
	bret = c->start(c, 1, my_args.argv);
	lxc_container_put(c);
	if (!bret) {
		fprintf(stderr, "Failed run an application inside container\n");
		exit(EXIT_FAILURE);
	}
	if (c->daemonize) /* expect: rule 2 */
		exit(EXIT_SUCCESS);
	else {
		if (WIFEXITED(c->error_num)) {
			exit(WEXITSTATUS(c->error_num));
		} else {
			/* Try to die with the same signal the task did. */
			kill(0, WTERMSIG(c->error_num));
			exit(EXIT_FAILURE);
		}
	}
}
