/* SPDX-License-Identifier: MIT */
/*
 * cleanup.c - one function with many ways to fail, written twice: by hand,
 * with a goto ladder that undoes what was done so far, and with
 * <kref/cleanup.h>, where each reference and lock is let go by the scope
 * that holds it.
 *
 * session_attach() finds a user and a device (a reference to each),
 * allocates a session, and under the device's lock checks that the device
 * is free and that the user may use it.  On success the session keeps both
 * references; on each of the five failures everything taken so far must
 * be given back, in reverse order.  tests/unit/test_cleanup_example.c runs
 * both versions down every path and checks they leave the same counts.
 */
#include <errno.h>
#include <stdlib.h>
#include <kref.h>
#include "cleanup.h"

int session_alloc_fails;
int sessions_allocated;

static void user_release(struct kref *ref)
{
	free(container_of(ref, struct user, ref));
}

static void device_release(struct kref *ref)
{
	struct device *dev = container_of(ref, struct device, ref);

	pthread_mutex_destroy(&dev->lock);
	free(dev);
}

void user_put(struct user *user)
{
	kref_put(&user->ref, user_release);
}

void device_put(struct device *dev)
{
	kref_put(&dev->ref, device_release);
}

/* Rule 3: the lookup and the get under the lock that guards the table. */
struct user *user_lookup(struct registry *reg, int id)
{
	struct user *user = NULL;

	pthread_mutex_lock(&reg->lock);
	if (id >= 0 && id < REGISTRY_SIZE && reg->users[id]) {
		user = reg->users[id];
		kref_get(&user->ref);
	}
	pthread_mutex_unlock(&reg->lock);
	return user;
}

struct device *device_lookup(struct registry *reg, int id)
{
	struct device *dev = NULL;

	pthread_mutex_lock(&reg->lock);
	if (id >= 0 && id < REGISTRY_SIZE && reg->devs[id]) {
		dev = reg->devs[id];
		kref_get(&dev->ref);
	}
	pthread_mutex_unlock(&reg->lock);
	return dev;
}

static struct session *session_alloc(void)
{
	struct session *s;

	if (session_alloc_fails) {
		session_alloc_fails = 0;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (s)
		sessions_allocated++;
	return s;
}

static void session_free(struct session *s)
{
	sessions_allocated--;
	free(s);
}

/* ---- by hand ------------------------------------------------------------- */

int session_attach_manual(struct registry *reg, int uid, int did,
			  struct session **out)
{
	struct user *user;
	struct device *dev;
	struct session *s;
	int err;

	user = user_lookup(reg, uid);
	if (!user)
		return -ENOENT;
	dev = device_lookup(reg, did);
	if (!dev) {
		err = -ENODEV;
		goto put_user;
	}
	s = session_alloc();
	if (!s) {
		err = -ENOMEM;
		goto put_dev;
	}
	pthread_mutex_lock(&dev->lock);
	if (dev->session) {
		err = -EBUSY;
		goto unlock;
	}
	if (dev->owner != uid && !dev->shared) {
		err = -EPERM;
		goto unlock;
	}
	s->user = user;			/* the session takes both references */
	s->dev = dev;
	dev->session = s;
	pthread_mutex_unlock(&dev->lock);
	*out = s;
	return 0;

unlock:
	pthread_mutex_unlock(&dev->lock);
	session_free(s);
put_dev:
	device_put(dev);
put_user:
	user_put(user);
	return err;
}

/* ---- with cleanup.h ------------------------------------------------------ */

KREF_DEFINE_PUT(user_put, struct user, ref, user_release);
KREF_DEFINE_PUT(device_put, struct device, ref, device_release);
DEFINE_FREE(session_free, struct session *, if (_T) session_free(_T))

int session_attach_scoped(struct registry *reg, int uid, int did,
			  struct session **out)
{
	struct user *user __free(user_put) = user_lookup(reg, uid);
	if (!user)
		return -ENOENT;

	struct device *dev __free(device_put) = device_lookup(reg, did);
	if (!dev)
		return -ENODEV;

	struct session *s __free(session_free) = session_alloc();
	if (!s)
		return -ENOMEM;

	guard(pthread_mutex)(&dev->lock);
	if (dev->session)
		return -EBUSY;
	if (dev->owner != uid && !dev->shared)
		return -EPERM;

	dev->session = s;
	s->user = no_free_ptr(user);	/* the session takes both references */
	s->dev = no_free_ptr(dev);
	*out = no_free_ptr(s);
	return 0;			/* unlocks; user, dev and s are NULL now */
}

/* ---- both --------------------------------------------------------------- */

void session_detach(struct session *s)
{
	struct device *dev = s->dev;

	scoped_guard(pthread_mutex, &dev->lock)
		dev->session = NULL;
	device_put(dev);
	user_put(s->user);
	session_free(s);
}
