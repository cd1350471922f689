/* SPDX-License-Identifier: MIT */
/*
 * Project: storaged-project/udisks
 * Path: src/udiskslinuxmanagernvme.c
 * Fix commit: e1118a40182f04064e681cd593d86c5cb0002c6c
 * Bug: the "continue" statements in the matching loop skip the puts of the
 * controller and fabrics interfaces, so every object that does not match
 * leaks one reference on each of them.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

typedef struct UDisksObject {
	struct kref ref;
	const char *path;
} UDisksObject;

typedef struct UDisksNVMeController {
	struct kref ref;
	const char *subsystem_nqn;
} UDisksNVMeController;

typedef struct UDisksNVMeFabrics {
	struct kref ref;
	const char *transport;
	const char *transport_address;
	const char *host_nqn;
	const char *host_id;
} UDisksNVMeFabrics;

typedef struct UDisksDaemon UDisksDaemon;

typedef struct GList {
	void *data;
	struct GList *next;
} GList;

typedef struct {
	const char *subsysnqn;
	const char *transport;
	const char *transport_addr;
	const char *host_nqn;
	const char *host_id;
} WaitForConnectData;

/* returns a new list holding a reference on every exported object */
extern GList *udisks_daemon_get_objects(UDisksDaemon *daemon);
/* puts every object of the list and frees the list cells */
extern void udisks_object_list_free(GList *objects);
/* returns a new reference on the object's controller interface, or NULL */
extern UDisksNVMeController *udisks_object_get_nvme_controller(UDisksObject *object);
/* returns a new reference on the object's fabrics interface, or NULL */
extern UDisksNVMeFabrics *udisks_object_get_nvme_fabrics(UDisksObject *object);
/* splits a sysfs transport address; the result is newly allocated */
extern char *parse_sysfs_addr(const char *addr, const char *transport);

/* the object's release, used by udisks_object_list_free() */
void udisks_object_release(struct kref *ref)
{
	free(container_of(ref, UDisksObject, ref));
}

static void udisks_nvme_controller_release(struct kref *ref)
{
	free(container_of(ref, UDisksNVMeController, ref));
}

static void udisks_nvme_fabrics_release(struct kref *ref)
{
	free(container_of(ref, UDisksNVMeFabrics, ref));
}

static UDisksObject *udisks_object_ref(UDisksObject *object)
{
	kref_get(&object->ref);
	return object;
}

static void udisks_nvme_controller_unref(UDisksNVMeController *ctrl)
{
	if (ctrl)
		kref_put(&ctrl->ref, udisks_nvme_controller_release);
}

static void udisks_nvme_fabrics_unref(UDisksNVMeFabrics *fab)
{
	if (fab)
		kref_put(&fab->ref, udisks_nvme_fabrics_release);
}

static bool str_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool fabrics_object_matches(UDisksNVMeController *ctrl,
				   UDisksNVMeFabrics *fab,
				   WaitForConnectData *data)
{
	char *traddr;
	bool match;

	if (!str_equal(ctrl->subsystem_nqn, data->subsysnqn) ||
	    !str_equal(fab->transport, data->transport) ||
	    (data->host_nqn && !str_equal(fab->host_nqn, data->host_nqn)) ||
	    (data->host_id && !str_equal(fab->host_id, data->host_id)))
		return false;

	if (data->transport_addr) {
		traddr = parse_sysfs_addr(fab->transport_address,
					  fab->transport);
		match = str_equal(traddr, data->transport_addr);
		free(traddr);
		return match;
	}

	return true;
}

UDisksObject *wait_for_fabrics_object(UDisksDaemon *daemon, void *user_data)
{
	WaitForConnectData *data = user_data;
	UDisksObject *ret = NULL;
	GList *objects, *l;

	objects = udisks_daemon_get_objects(daemon);
	for (l = objects; l != NULL; l = l->next) {
		UDisksObject *object = l->data;
		UDisksNVMeController *ctrl;
		UDisksNVMeFabrics *fab;

		ctrl = udisks_object_get_nvme_controller(object);
		fab = udisks_object_get_nvme_fabrics(object);
		if (ctrl && fab && fabrics_object_matches(ctrl, fab, data))
			ret = udisks_object_ref(object);
		udisks_nvme_controller_unref(ctrl);
		udisks_nvme_fabrics_unref(fab);
		if (ret != NULL)
			break;
	}

	udisks_object_list_free(objects);
	return ret;
}
