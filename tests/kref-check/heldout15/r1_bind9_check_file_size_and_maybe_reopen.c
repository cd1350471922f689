/* SPDX-License-Identifier: MIT */
/*
 * Project: isc-projects/bind9
 * Path:    lib/dns/dnstap.c
 * Fix:     48d7401f0db66cbe9f6fcdffb549488e28110ad8
 * Bug: check_file_size_and_maybe_reopen() hands the dnstap environment to
 * an asynchronous perform_reopen() callback without taking a reference, so
 * the environment can be destroyed before the callback runs.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <pthread.h>
#include <sys/stat.h>
#include <kref.h>

struct isc_loop;

typedef struct dns_dtenv {
	struct kref references;
	struct isc_loop *loop;
	pthread_mutex_t reopen_lock;
	bool reopen_queued;
	const char *path;
	long long max_size;
	int rolls;
} dns_dtenv_t;

/* queues cb(arg) to run later on the loop */
extern void isc_async_run(struct isc_loop *loop, void (*cb)(void *),
			  void *arg);
/* closes and reopens the output file (rolling old ones) */
extern void dns_dt_reopen(dns_dtenv_t *env, int roll);

static void dtenv_destroy(struct kref *ref)
{
	dns_dtenv_t *env = container_of(ref, dns_dtenv_t, references);

	pthread_mutex_destroy(&env->reopen_lock);
	free(env);
}

dns_dtenv_t *dns_dtenv_ref(dns_dtenv_t *env)
{
	kref_get(&env->references);
	return env;
}

void dns_dtenv_detach(dns_dtenv_t **envp)
{
	dns_dtenv_t *env = *envp;

	*envp = NULL;
	kref_put(&env->references, dtenv_destroy);
}

/* Roll the output file, then allow rolling again. */
static void perform_reopen(void *arg)
{
	dns_dtenv_t *env = arg;

	dns_dt_reopen(env, env->rolls);

	pthread_mutex_lock(&env->reopen_lock);
	env->reopen_queued = false;
	pthread_mutex_unlock(&env->reopen_lock);
}

void check_file_size_and_maybe_reopen(dns_dtenv_t *env)
{
	struct stat statbuf;

	if (env->loop == NULL)
		return;

	pthread_mutex_lock(&env->reopen_lock);
	if (env->reopen_queued || stat(env->path, &statbuf) < 0 ||
	    statbuf.st_size <= env->max_size)
		goto unlock_and_return;

	/* Queue the roll; no other roll until this one is done. */
	isc_async_run(env->loop, perform_reopen, env); /* expect: rule 1 */
	env->reopen_queued = true;

unlock_and_return:
	pthread_mutex_unlock(&env->reopen_lock);
}
