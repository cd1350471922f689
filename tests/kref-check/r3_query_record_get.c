/* SPDX-License-Identifier: MIT */
/* Rule 3: a job scheduler looks a job up in its table under the table's
 * mutex with a query record the lookup fills in, drops the mutex, and only
 * then copies the job out of the record and takes its reference.  A
 * cancel on another thread can put the last reference in between. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct job {
	struct kref ref;
	int id;
	int state;
};

struct job_query {
	int id;
	void *found;
};

struct scheduler {
	pthread_mutex_t table_lock;
	struct job *table[128];
};

static void job_release(struct kref *kref)
{
	free(container_of(kref, struct job, ref));
}

void job_put(struct job *j)
{
	kref_put(&j->ref, job_release);
}

static int job_table_query(struct scheduler *s, struct job_query *q)
{
	struct job *j = s->table[q->id & 127];

	if (!j || j->id != q->id)
		return -1;
	q->found = j;
	return 0;
}

void scheduler_cancel(struct scheduler *s, int id)
{
	struct job *j;

	pthread_mutex_lock(&s->table_lock);
	j = s->table[id & 127];
	s->table[id & 127] = NULL;
	pthread_mutex_unlock(&s->table_lock);
	if (j)
		job_put(j);
}

struct job *scheduler_job(struct scheduler *s, int id)
{
	struct job_query q = { .id = id };
	struct job *j;

	pthread_mutex_lock(&s->table_lock);
	if (job_table_query(s, &q) != 0) {
		pthread_mutex_unlock(&s->table_lock);
		return NULL;
	}
	pthread_mutex_unlock(&s->table_lock);
	j = q.found;
	kref_get(&j->ref);	/* expect: rule 3 */
	return j;
}
