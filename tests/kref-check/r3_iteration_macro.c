/* SPDX-License-Identifier: MIT */
/* Rule 3 through the program's own iteration macro, with no lock held. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct conn { struct kref ref; struct conn *next; int fd; };
static struct conn *conn_list;
static pthread_mutex_t conn_mu = PTHREAD_MUTEX_INITIALIZER;

#define FOR_EACH_CONN(c) for ((c) = conn_list; (c); (c) = (c)->next)

static void conn_release(struct kref *ref)
{
	struct conn *c = container_of(ref, struct conn, ref), **pp;
	for (pp = &conn_list; *pp; pp = &(*pp)->next)
		if (*pp == c) { *pp = c->next; break; }
	pthread_mutex_unlock(&conn_mu);
	free(c);
}

void conn_put(struct conn *c) { kref_put_mutex(&c->ref, conn_release, &conn_mu); }

struct conn *conn_by_fd(int fd)
{
	struct conn *c;
	FOR_EACH_CONN(c) {
		if (c->fd == fd) {
			kref_get(&c->ref);	/* expect: rule 3 */
			return c;
		}
	}
	return NULL;
}
