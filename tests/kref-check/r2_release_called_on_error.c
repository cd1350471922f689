/* SPDX-License-Identifier: MIT */
/* Rules 2 and 1: a validation failure calls the release function directly;
 * a thread start whose failure return leaks. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

struct conf { struct kref ref; char *text; };

static void conf_release(struct kref *ref)
{
	struct conf *c = container_of(ref, struct conf, ref);
	free(c->text);
	free(c);
}

/* Correct: the label frees before kref_init has run. */
struct conf *conf_load(const char *s)
{
	struct conf *c = malloc(sizeof(*c));
	if (!c)
		goto fail;
	c->text = strdup(s);
	if (!c->text)
		goto fail_free;
	kref_init(&c->ref);
	return c;
fail_free:
	free(c);
fail:
	return NULL;
}

int conf_validate(struct conf *c);

/* Violation: the failure path calls the release function directly. */
struct conf *conf_load_checked(const char *s)
{
	struct conf *c = conf_load(s);
	if (!c)
		return NULL;
	if (conf_validate(c) < 0) {
		conf_release(&c->ref);	/* expect: rule 2 */
		return NULL;
	}
	return c;
}

static void *watcher(void *arg) { struct conf *c = arg; kref_put(&c->ref, conf_release); return NULL; }

/* Violation: pthread_create's status checked in the condition. */
int conf_watch(struct conf *c)
{
	pthread_t t;
	int err;

	kref_get(&c->ref);
	if ((err = pthread_create(&t, NULL, watcher, c)) != 0)	/* expect: rule 1 */
		return err;
	return pthread_detach(t);
}
