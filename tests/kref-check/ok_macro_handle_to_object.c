/* SPDX-License-Identifier: MIT */
/* Correct: the same interned names reached through the program's own
 * NODE_OF(h) (a container_of); the lookup gets under the cache lock and
 * the drop takes the same lock for the final put (kref_put_mutex), so
 * the release unlinks before any lookup can see the node again
 * (issue 18). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

struct name_node {
	struct kref users;
	char text[32];
};
#define NODE_OF(h)	container_of((h), struct name_node, text[0])

struct strset;
const char *strset_find(struct strset *set, const char *key);
void strset_drop(struct strset *set, const char *key);

static struct strset *names;
static pthread_mutex_t names_mu = PTHREAD_MUTEX_INITIALIZER;

/* Runs with names_mu held (kref_put_mutex). */
static void name_node_free(struct kref *users)
{
	struct name_node *n = container_of(users, struct name_node, users);

	strset_drop(names, n->text);
	pthread_mutex_unlock(&names_mu);
	free(n);
}

const char *name_intern_lookup(const char *key)
{
	const char *h;

	pthread_mutex_lock(&names_mu);
	h = strset_find(names, key);
	if (h)
		kref_get(&NODE_OF(h)->users);
	pthread_mutex_unlock(&names_mu);
	return h;
}

void name_unref(const char *h)
{
	kref_put_mutex(&NODE_OF(h)->users, name_node_free, &names_mu);
}
