/* SPDX-License-Identifier: MIT */
/*
 * Project: GNOME/gnome-calendar
 * Path: src/core/gcal-calendar-monitor.c
 * Fix commit: 07c5b6280a006bc87291c53714c8e7c32e371a4a
 * Bug: on_client_view_objects_modified_cb() moves the expanded recurrence
 * events into the array it hands to the main thread with g_steal_pointer()
 * on a borrowed local, so both arrays believe they own the one reference and
 * the main thread's idle callback uses events freed by the monitor thread.
 */
#include <stdlib.h>
#include <kref.h>

#define MAX_EVENTS 64

struct GcalEvent {
	struct kref ref;
	char *uid;
};

struct GPtrArray {
	struct kref ref;
	struct GcalEvent *pdata[MAX_EVENTS];
	unsigned int len;
};

struct GcalCalendarMonitor;

typedef struct {
	struct GcalCalendarMonitor *monitor;
	struct GPtrArray *expanded_events;
} GenerateRecurrencesData;

/* returns a new event (one reference, owned by the caller) or NULL */
extern struct GcalEvent *gcal_event_new(struct GcalCalendarMonitor *self,
					void *icomponent);
/* calls client_instance_generated_cb() for every instance of icomponent */
extern void e_cal_client_generate_instances_for_object_sync(void *icomponent,
							    int (*cb)(void *icomponent,
								      void *user_data),
							    void *user_data);
/* nonzero once the monitor thread is being stopped */
extern int g_cancellable_is_cancelled(struct GcalCalendarMonitor *self);
/* runs add_events_to_timeline_in_idle_cb() on the main thread later; owns the array reference it is given */
extern void add_events_in_idle_invoke(struct GcalCalendarMonitor *self,
				      struct GPtrArray *events);

static void gcal_event_release(struct kref *ref)
{
	struct GcalEvent *event = container_of(ref, struct GcalEvent, ref);

	free(event->uid);
	free(event);
}

void gcal_event_unref(struct GcalEvent *event)
{
	kref_put(&event->ref, gcal_event_release);
}

static struct GcalEvent *g_steal_pointer(struct GcalEvent **pp)
{
	struct GcalEvent *p = *pp;

	*pp = NULL;
	return p;
}

/* an array whose elements are unreffed when it is freed */
static struct GPtrArray *g_ptr_array_new_with_free_func(void)
{
	struct GPtrArray *array = calloc(1, sizeof(*array));

	if (array)
		kref_init(&array->ref);
	return array;
}

static void g_ptr_array_release(struct kref *ref)
{
	struct GPtrArray *array = container_of(ref, struct GPtrArray, ref);

	while (array->len > 0)
		gcal_event_unref(array->pdata[--array->len]);
	free(array);
}

static struct GPtrArray *g_ptr_array_ref(struct GPtrArray *array)
{
	kref_get(&array->ref);
	return array;
}

void g_ptr_array_unref(struct GPtrArray *array)
{
	kref_put(&array->ref, g_ptr_array_release);
}

/* takes over the reference the caller gives it */
static void g_ptr_array_add(struct GPtrArray *array, struct GcalEvent *event)
{
	if (array->len == MAX_EVENTS) {
		gcal_event_unref(event);
		return;
	}
	array->pdata[array->len++] = event;
}

static int client_instance_generated_cb(void *icomponent, void *user_data)
{
	GenerateRecurrencesData *data = user_data;
	struct GcalEvent *event;

	event = gcal_event_new(data->monitor, icomponent);
	if (!event)
		return 1;
	g_ptr_array_add(data->expanded_events, g_steal_pointer(&event));
	return 1;
}

static void add_events_in_idle(struct GcalCalendarMonitor *self,
			       struct GPtrArray *events)
{
	add_events_in_idle_invoke(self, g_ptr_array_ref(events));
}

/* runs in the monitor thread */
void on_client_view_objects_modified_cb(void *view,
					void **components_to_expand,
					unsigned int n_components,
					struct GcalCalendarMonitor *self)
{
	struct GPtrArray *expanded_events;
	struct GPtrArray *events_to_add;
	GenerateRecurrencesData recurrences_data;
	unsigned int i;

	(void)view;
	expanded_events = g_ptr_array_new_with_free_func();
	events_to_add = g_ptr_array_new_with_free_func();
	if (!expanded_events || !events_to_add)
		goto out;

	for (i = 0; i < n_components; i++) {
		recurrences_data.monitor = self;
		recurrences_data.expanded_events = expanded_events;
		e_cal_client_generate_instances_for_object_sync(components_to_expand[i],
								client_instance_generated_cb,
								&recurrences_data);
	}

	for (i = 0; i < expanded_events->len; i++) {
		struct GcalEvent *event = expanded_events->pdata[i];

		if (g_cancellable_is_cancelled(self))
			goto out;

		g_ptr_array_add(events_to_add, g_steal_pointer(&event)); /* expect: rule 1 */
	}

	if (events_to_add->len > 0)
		add_events_in_idle(self, events_to_add);

out:
	if (expanded_events)
		g_ptr_array_unref(expanded_events);
	if (events_to_add)
		g_ptr_array_unref(events_to_add);
}
