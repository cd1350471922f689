/* SPDX-License-Identifier: MIT */
/*
 * Project: PipeWire/wireplumber
 * Path: lib/wp/spa-pod.c
 * Fix commit: be8629fbecc81a1bf191a3efadabeced99385dd0
 * Bug: wp_spa_pod_iterate() stores the pod in the iterator it returns
 * without taking a reference, so the iterator reads freed memory once the
 * caller drops its pod before it is done iterating.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <kref.h>

typedef struct WpSpaPod {
	struct kref ref;		/* the boxed type's reference count */
	const void *pod;		/* the struct spa_pod it wraps */
} WpSpaPod;

typedef struct WpIterator WpIterator;

struct WpIteratorMethods {
	bool (*next)(WpIterator *it, void **item);
	void (*finalize)(WpIterator *it);
};

typedef struct WpSpaPodIterator {
	WpSpaPod *pod;
	const void *curr;
} WpSpaPodIterator;

/* allocates an iterator with user_size bytes of zeroed user data; calls
 * methods->finalize when the last reference to the iterator goes away */
extern WpIterator *wp_iterator_new(const struct WpIteratorMethods *methods,
				   size_t user_size);
/* returns the iterator's user data (borrowed, lives as long as it) */
extern void *wp_iterator_get_user_data(WpIterator *it);
/* returns the child of pod after curr (or the first when curr is NULL),
 * or NULL at the end */
extern const void *spa_pod_next_child(const void *pod, const void *curr);

static void wp_spa_pod_free(struct kref *ref)
{
	WpSpaPod *self = container_of(ref, WpSpaPod, ref);

	free(self);
}

WpSpaPod *wp_spa_pod_ref(WpSpaPod *self)
{
	kref_get(&self->ref);
	return self;
}

void wp_spa_pod_unref(WpSpaPod *self)
{
	kref_put(&self->ref, wp_spa_pod_free);
}

static bool wp_spa_pod_iterator_next(WpIterator *iterator, void **item)
{
	WpSpaPodIterator *self = wp_iterator_get_user_data(iterator);

	self->curr = spa_pod_next_child(self->pod->pod, self->curr);
	if (!self->curr)
		return false;
	if (item)
		*item = (void *)self->curr;
	return true;
}

static void wp_spa_pod_iterator_finalize(WpIterator *iterator)
{
	WpSpaPodIterator *self = wp_iterator_get_user_data(iterator);

	/* g_clear_pointer (&self->pod, wp_spa_pod_unref) */
	if (self->pod) {
		wp_spa_pod_unref(self->pod);
		self->pod = NULL;
	}
}

static const struct WpIteratorMethods methods = {
	.next = wp_spa_pod_iterator_next,
	.finalize = wp_spa_pod_iterator_finalize,
};

/* Returns: (transfer full) a new iterator over the children of pod */
WpIterator *wp_spa_pod_iterate(WpSpaPod *pod)
{
	WpIterator *it = wp_iterator_new(&methods, sizeof(WpSpaPodIterator));
	WpSpaPodIterator *self = wp_iterator_get_user_data(it);

	self->pod = wp_spa_pod_ref(pod);

	return it;
}
