/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: 78/tenbox commit
 * 9079f16af4bab31e61c67bfa0e62afe47fc3666c "fix: use-after-free in
 * MacHiResTimer event handler" (PR #119), src/core/util/hires_timer_mac.cpp.  When the timer callback returns 0 (one-shot), the event
 * handler cancels the dispatch source, whose cancel handler releases it
 * (dispatch_release: the last reference), but source_ still points at
 * it; a later Arm() -> Stop() cancels the freed source (SIGSEGV in
 * LocalApic::ArmTimer).  The fix clears source_ under the mutex when the
 * handler cancels itself.  The dispatch object's count written with struct kref,
 * the class as a struct and its methods as functions.
 */
#include <stdlib.h>
#include <stdint.h>
#include <pthread.h>
#include <kref.h>

struct dispatch_source { struct kref ref; void (*cancel_handler)(void *); void *ctx; };

struct mac_hires_timer {
	pthread_mutex_t mutex;
	struct dispatch_source *source_;
	uint64_t (*callback)(void *opaque);
	void *opaque;
};

/* Marks the source cancelled; its cancel handler runs afterwards. */
extern void dispatch_source_cancel(struct dispatch_source *src);

static void dispatch_source_free(struct kref *ref)
{
	free(container_of(ref, struct dispatch_source, ref));
}

static void dispatch_release(struct dispatch_source *src)
{
	kref_put(&src->ref, dispatch_source_free);
}

/* The cancel handler: drops the timer's reference on the source. */
static void mac_hires_timer_on_cancel(struct mac_hires_timer *t, struct dispatch_source *src)
{
	(void) t;
	dispatch_release(src);
}

/* The source's event handler. */
void mac_hires_timer_on_event(struct mac_hires_timer *t)
{
	struct dispatch_source *src;

	if (t->callback(t->opaque) != 0)
		return;
	pthread_mutex_lock(&t->mutex);
	src = t->source_;
	pthread_mutex_unlock(&t->mutex);
	dispatch_source_cancel(src);
	mac_hires_timer_on_cancel(t, src); /* expect: rule 2 */
}

void mac_hires_timer_stop(struct mac_hires_timer *t)
{
	pthread_mutex_lock(&t->mutex);
	if (t->source_) {
		dispatch_source_cancel(t->source_);
		mac_hires_timer_on_cancel(t, t->source_);
		t->source_ = NULL;
	}
	pthread_mutex_unlock(&t->mutex);
}
