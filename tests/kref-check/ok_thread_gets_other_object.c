/* SPDX-License-Identifier: MIT */
/* Correct: the thread gets a different object, found under the lock its
 * final put takes. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct reader_state { struct kref kref; int pos; };
struct book { struct kref kref; int pages; };
static struct book *shelf[4];
static pthread_mutex_t shelf_lock = PTHREAD_MUTEX_INITIALIZER;

static void book_release(struct kref *k)
{
	struct book *b = container_of(k, struct book, kref);
	int i;
	for (i = 0; i < 4; i++)
		if (shelf[i] == b)
			shelf[i] = NULL;
	pthread_mutex_unlock(&shelf_lock);
	free(b);
}
static void rs_release(struct kref *k) { free(container_of(k, struct reader_state, kref)); }

static void *reader(void *arg)
{
	struct reader_state *rs = arg;
	struct book *b;

	pthread_mutex_lock(&shelf_lock);
	b = shelf[rs->pos & 3];
	if (b)
		kref_get(&b->kref);
	pthread_mutex_unlock(&shelf_lock);
	if (b)
		kref_put_mutex(&b->kref, book_release, &shelf_lock);
	kref_put(&rs->kref, rs_release);
	return NULL;
}

int start_reader(struct reader_state *rs)
{
	pthread_t t;
	kref_get(&rs->kref);
	if (pthread_create(&t, NULL, reader, rs)) {
		kref_put(&rs->kref, rs_release);
		return -1;
	}
	return pthread_detach(t);
}
