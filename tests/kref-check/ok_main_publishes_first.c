/* SPDX-License-Identifier: MIT */
/* Correct: main publishes the object in a global and takes the thread's
 * reference before any thread starts. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct stats { struct kref ref; long hits; };
static struct stats *g_stats;
static pthread_mutex_t g_stats_lock = PTHREAD_MUTEX_INITIALIZER;

static void stats_release(struct kref *ref)
{
	struct stats *s = container_of(ref, struct stats, ref);
	if (g_stats == s)
		g_stats = NULL;
	pthread_mutex_unlock(&g_stats_lock);
	free(s);
}

static void *reporter(void *arg)
{
	struct stats *s = arg;
	s->hits++;
	kref_put_mutex(&s->ref, stats_release, &g_stats_lock);
	return NULL;
}

int main(void)
{
	pthread_t t;
	struct stats *s = calloc(1, sizeof(*s));

	if (!s)
		return 1;
	kref_init(&s->ref);
	g_stats = s;
	kref_get(&g_stats->ref);
	if (pthread_create(&t, NULL, reporter, g_stats) != 0) {
		kref_put_mutex(&s->ref, stats_release, &g_stats_lock);
		kref_put_mutex(&s->ref, stats_release, &g_stats_lock);
		return 1;
	}
	pthread_join(t, NULL);
	kref_put_mutex(&s->ref, stats_release, &g_stats_lock);
	return 0;
}
