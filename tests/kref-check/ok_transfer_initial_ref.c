/* SPDX-License-Identifier: MIT */
/* Correct: the creator gives its own (initial) reference to the thread and
 * takes none for itself; if the thread cannot start, the creator still
 * owns it and puts it. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct download {
	struct kref kref;
	const char *url;
	int result;
};

static void download_release(struct kref *kref)
{
	free(container_of(kref, struct download, kref));
}

static void *download_main(void *arg)
{
	struct download *d = arg;

	d->result = 0;
	kref_put(&d->kref, download_release);
	return NULL;
}

int download_async(const char *url)
{
	struct download *d = calloc(1, sizeof(*d));
	pthread_t t;

	if (!d)
		return -1;
	kref_init(&d->kref);
	d->url = url;
	if (pthread_create(&t, NULL, download_main, d) != 0) {
		kref_put(&d->kref, download_release);
		return -1;
	}
	pthread_detach(t);
	return 0;
}
