/* SPDX-License-Identifier: MIT */
/*
 * Project: aldebaran/connman (ConnMan)
 * Path: src/wpad.c
 * Fix commit: fffefb599ad7987925af1a1b94bb9a4055eb0cc6
 * Bug: __connman_wpad_stop() drops a reference on the service it was
 * called with rather than on the one the wpad entry stored, so when two
 * services share an interface index the wrong service loses a reference
 * and the stored one is never put.
 */
#include <kref.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#define WPAD_MAX_INDEX 64

struct connman_service {
	struct kref ref;
	int index;
	char *domainname;
};

struct connman_wpad {
	struct connman_service *service;
	struct g_resolv *resolv;
	char *hostname;
};

/* creates a resolver bound to an interface index; NULL on failure */
extern struct g_resolv *g_resolv_new(int index);
/* frees the resolver */
extern void g_resolv_unref(struct g_resolv *resolv);
/* returns a newly allocated "wpad.<domain>" string */
extern char *wpad_hostname_new(const char *domainname);
/* frees the service's fields (called from the release only) */
extern void connman_service_free_fields(struct connman_service *service);

/* index -> wpad entry; stands in for the GHashTable wpad_list */
static struct connman_wpad *wpad_list[WPAD_MAX_INDEX];

static void connman_service_release(struct kref *kref)
{
	struct connman_service *service =
		container_of(kref, struct connman_service, ref);

	connman_service_free_fields(service);
	free(service);
}

struct connman_service *connman_service_ref(struct connman_service *service)
{
	kref_get(&service->ref);
	return service;
}

void connman_service_unref(struct connman_service *service)
{
	kref_put(&service->ref, connman_service_release);
}

static int __connman_service_get_index(struct connman_service *service)
{
	if (service->index < 0 || service->index >= WPAD_MAX_INDEX)
		return -1;
	return service->index;
}

static void free_wpad(struct connman_wpad *wpad)
{
	g_resolv_unref(wpad->resolv);
	free(wpad->hostname);
	free(wpad);
}

/* g_hash_table_replace() with free_wpad as the value destructor */
static void wpad_list_replace(int index, struct connman_wpad *wpad)
{
	if (wpad_list[index])
		free_wpad(wpad_list[index]);
	wpad_list[index] = wpad;
}

/* g_hash_table_remove(): true when an entry was found and freed */
static bool wpad_list_remove(int index)
{
	if (!wpad_list[index])
		return false;
	free_wpad(wpad_list[index]);
	wpad_list[index] = NULL;
	return true;
}

int __connman_wpad_start(struct connman_service *service)
{
	struct connman_wpad *wpad;
	int index;

	index = __connman_service_get_index(service);
	if (index < 0)
		return -EINVAL;

	if (!service->domainname)
		return -EINVAL;

	wpad = calloc(1, sizeof(*wpad));
	if (!wpad)
		return -ENOMEM;

	wpad->service = service;
	wpad->resolv = g_resolv_new(index);
	if (!wpad->resolv) {
		free(wpad);
		return -ENOMEM;
	}

	wpad->hostname = wpad_hostname_new(service->domainname);

	connman_service_ref(service);
	wpad_list_replace(index, wpad);

	return 0;
}

void __connman_wpad_stop(struct connman_service *service)
{
	int index;

	index = __connman_service_get_index(service);
	if (index < 0)
		return;

	if (wpad_list_remove(index))
		connman_service_unref(service); /* expect: rule 2 */
}
