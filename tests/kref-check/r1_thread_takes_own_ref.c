/* SPDX-License-Identifier: MIT */
/* Rule 1 from the other side: the thread takes its own reference when it
 * starts, which is after the handoff; the creator may have put the last
 * reference already. */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct upload {
	struct kref kref;
	const char *path;
	int status;
};

static void upload_release(struct kref *kref)
{
	struct upload *u = container_of(kref, struct upload, kref);

	free(u);
}

static void *upload_thread(void *opaque)
{
	struct upload *u = (struct upload *)opaque;

	kref_get(&u->kref);	/* expect: rule 1 */
	u->status = 0;
	kref_put(&u->kref, upload_release);
	return NULL;
}

int upload_start(const char *path)
{
	struct upload *u = calloc(1, sizeof(*u));
	pthread_t t;

	if (!u)
		return -1;
	kref_init(&u->kref);
	u->path = path;
	if (pthread_create(&t, NULL, upload_thread, u) == 0)
		pthread_detach(t);
	kref_put(&u->kref, upload_release);
	return 0;
}
