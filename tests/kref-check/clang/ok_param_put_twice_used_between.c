/* SPDX-License-Identifier: MIT */
/* Unregistering a device puts it twice: the minor table's reference,
 * dropped when it is taken out of the table, and the registrant's,
 * dropped last.  Between the two the device is still used: the path
 * held more than the reference it put first (drivers/media/dvb-core/
 * dvbdev.c in Linux 6.1 has this shape). */
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct dvb_dev {
	struct kref ref;
	int minor;
	void *media;
	struct dvb_dev *next;
};

static pthread_mutex_t minor_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dvb_dev *minors[64];

static void dvb_dev_free(struct kref *ref)
{
	free(container_of(ref, struct dvb_dev, ref));
}

static void dvb_dev_put(struct dvb_dev *d)
{
	if (d)
		kref_put(&d->ref, dvb_dev_free);
}

static void dvb_media_free(struct dvb_dev *d)
{
	free(d->media);
	d->media = NULL;
}

static void dvb_remove(struct dvb_dev *d)
{
	pthread_mutex_lock(&minor_lock);
	minors[d->minor] = NULL;
	dvb_dev_put(d);		/* the table's */
	pthread_mutex_unlock(&minor_lock);
	dvb_media_free(d);
	d->minor = -1;
}

void dvb_unregister(struct dvb_dev *d)
{
	dvb_remove(d);
	dvb_dev_put(d);		/* the registrant's */
}
