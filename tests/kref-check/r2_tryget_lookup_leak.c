/* SPDX-License-Identifier: MIT */
/* Rule 2: a lookup that took its reference with kref_get_unless_zero,
 * leaked on a busy return. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct sess { struct kref kref; int uid; int busy; };
static struct sess *table[16];
static pthread_mutex_t table_mu = PTHREAD_MUTEX_INITIALIZER;

static void sess_release(struct kref *k)
{
	struct sess *s = container_of(k, struct sess, kref);
	table[s->uid & 15] = NULL;
	free(s);
}

static struct sess *sess_find(int uid)
{
	struct sess *s;
	pthread_mutex_lock(&table_mu);
	s = table[uid & 15];
	if (s && !kref_get_unless_zero(&s->kref))
		s = NULL;
	pthread_mutex_unlock(&table_mu);
	return s;
}

static void sess_put(struct sess *s)
{
	pthread_mutex_lock(&table_mu);
	kref_put(&s->kref, sess_release);
	pthread_mutex_unlock(&table_mu);
}

int sess_touch(int uid)
{
	struct sess *s = sess_find(uid);

	if (s == NULL)
		return -1;
	if (s->busy)
		return -2;	/* expect: rule 2 */
	s->busy = 1;
	sess_put(s);
	return 0;
}
