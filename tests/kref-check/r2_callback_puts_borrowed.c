/* SPDX-License-Identifier: MIT */
/* Rule 2: the event loop owns the reference given with a timeout, and its
 * destroy notify drops it when the timeout is removed.  The callback only
 * borrows the data, yet puts it when the download was cancelled: one put
 * more than there were gets. */
#include <stdlib.h>
#include <kref.h>

struct download { struct kref ref; int cancelled; long done; };

unsigned loop_add_timeout_full(int ms, int (*fn)(void *), void *data, void (*notify)(void *));
void download_resume(struct download *dl);

static void download_free(struct kref *ref)
{
	free(container_of(ref, struct download, ref));
}

static void download_unref(void *p)
{
	struct download *dl = p;

	kref_put(&dl->ref, download_free);
}

static int download_retry_cb(void *p)
{
	struct download *dl = p;

	if (dl->cancelled) {
		download_unref(dl);	/* expect: rule 2 */
		return 0;
	}
	download_resume(dl);
	return 0;
}

void download_schedule_retry(struct download *dl, int ms)
{
	kref_get(&dl->ref);
	loop_add_timeout_full(ms, download_retry_cb, dl, download_unref);
}
