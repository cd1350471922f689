/* SPDX-License-Identifier: MIT */
/* Rule 3: callers hold a handle (the name inside a node) and the program
 * reaches the node with its own macro, NODE_OF(h), a container_of.  The
 * interned-name cache looks a handle up and gets its node under the
 * cache lock, but the drop puts without that lock and the release only
 * takes it to unlink: the lookup can revive a node on its way to free()
 * (issue 18: macros expanded when reading an object expression). */
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

static void name_node_free(struct kref *users)
{
	struct name_node *n = container_of(users, struct name_node, users);

	pthread_mutex_lock(&names_mu);
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
		kref_get(&NODE_OF(h)->users);	/* expect: rule 3 */
	pthread_mutex_unlock(&names_mu);
	return h;
}

void name_unref(const char *h)
{
	kref_put(&NODE_OF(h)->users, name_node_free);	/* expect: rule 3 */
}
