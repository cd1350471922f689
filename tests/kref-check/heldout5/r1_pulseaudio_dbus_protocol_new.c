/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: pulseaudio/pulseaudio commit
 * b1578e27b62e7332111bb706f79858b0866029e3 "dbus-protocol, dbusiface-core:
 * Take a reference when storing the core pointer.",
 * src/pulsecore/protocol-dbus.c dbus_protocol_new()/pa_dbus_protocol_unref()
 * and src/modules/dbus/iface-core.c pa_dbusiface_core_new()/
 * pa_dbusiface_core_free().  Both objects are shared and refcounted and
 * keep the pa_core in their long-lived field `core` without a reference of
 * their own, though they use it until they are freed
 * (pa_dbus_protocol_unref() removes itself from the core's shared table
 * through p->core).  The fix stores pa_core_ref(core) and unrefs it in the
 * free functions.  PA_REFCNT written with a kref.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct pa_core { struct kref refcnt; } pa_core;
typedef struct pa_hashmap pa_hashmap;
typedef struct pa_subscription pa_subscription;

typedef struct pa_dbus_protocol {
	struct kref refcnt;
	pa_core *core;
	pa_hashmap *objects;
} pa_dbus_protocol;

typedef struct pa_dbusiface_core {
	pa_core *core;
	pa_subscription *subscription;
	pa_dbus_protocol *dbus_protocol;
} pa_dbusiface_core;

#define pa_xnew(type, n) ((type *)malloc((n) * sizeof(type)))
#define pa_xfree free
#define pa_assert_se(expr) ((void)(expr))
extern pa_hashmap *pa_hashmap_new(void);
extern void pa_hashmap_free(pa_hashmap *h);
/* The core's table of named singletons (no reference taken). */
extern void *pa_shared_get(pa_core *c, const char *name);
extern int pa_shared_set(pa_core *c, const char *name, void *data);
extern int pa_shared_remove(pa_core *c, const char *name);
/* Subscribes cb to every core event; the subscription keeps c. */
extern pa_subscription *pa_subscription_new(pa_core *c, void (*cb)(pa_core *c, void *userdata), void *userdata);
extern void pa_subscription_free(pa_subscription *s);
extern void subscription_cb(pa_core *c, void *userdata);

static void pa_core_free(struct kref *ref)
{
	free(container_of(ref, pa_core, refcnt));
}

pa_core *pa_core_ref(pa_core *c)
{
	kref_get(&c->refcnt);
	return c;
}

void pa_core_unref(pa_core *c)
{
	kref_put(&c->refcnt, pa_core_free);
}

static pa_dbus_protocol *dbus_protocol_new(pa_core *c)
{
	pa_dbus_protocol *p = pa_xnew(pa_dbus_protocol, 1);

	kref_init(&p->refcnt);
	p->core = c; /* expect: rule 1 */
	p->objects = pa_hashmap_new();
	pa_assert_se(pa_shared_set(c, "dbus-protocol", p) >= 0);
	return p;
}

pa_dbus_protocol *pa_dbus_protocol_get(pa_core *c)
{
	pa_dbus_protocol *p;

	if ((p = pa_shared_get(c, "dbus-protocol"))) {
		kref_get(&p->refcnt);
		return p;
	}

	return dbus_protocol_new(c);
}

static void dbus_protocol_free(struct kref *ref)
{
	pa_dbus_protocol *p = container_of(ref, pa_dbus_protocol, refcnt);

	pa_hashmap_free(p->objects);

	pa_assert_se(pa_shared_remove(p->core, "dbus-protocol") >= 0);
	pa_xfree(p);
}

void pa_dbus_protocol_unref(pa_dbus_protocol *p)
{
	kref_put(&p->refcnt, dbus_protocol_free);
}

pa_dbusiface_core *pa_dbusiface_core_new(pa_core *core)
{
	pa_dbusiface_core *c = pa_xnew(pa_dbusiface_core, 1);

	c->core = core; /* expect: rule 1 */
	c->subscription = pa_subscription_new(core, subscription_cb, c);
	c->dbus_protocol = pa_dbus_protocol_get(core);

	return c;
}

void pa_dbusiface_core_free(pa_dbusiface_core *c)
{
	pa_subscription_free(c->subscription);
	pa_dbus_protocol_unref(c->dbus_protocol);
	pa_xfree(c);
}
