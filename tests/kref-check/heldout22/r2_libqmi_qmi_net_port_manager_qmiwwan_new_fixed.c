/* SPDX-License-Identifier: MIT */
/*
 * Project: linux-mobile-broadband/libqmi
 * Path: src/libqmi-glib/qmi-net-port-manager-qmiwwan.c
 * Fix commit: 642e761e0a1f6e034b4639732a1a1d61d716c717
 * Bug: when the interface had no add_mux/del_mux support,
 * qmi_net_port_manager_qmiwwan_new() unreffed self by hand although self was
 * a g_autoptr() variable that unrefs it again at return: a double put.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kref.h>

typedef struct QmiNetPortManagerQmiwwan {
	struct kref ref;
	char *iface;
	char *sysfs_path;
	char *add_mux_sysfs_path;
	char *del_mux_sysfs_path;
} QmiNetPortManagerQmiwwan;

/* whether a file exists at path (g_file_test (path, G_FILE_TEST_EXISTS)) */
extern bool g_file_test_exists(const char *path);
/* sets *error to a new error with the message (g_set_error) */
extern void g_set_error_literal(char **error, const char *message);
/* a newly allocated string: prefix followed by suffix (g_strdup_printf) */
extern char *g_strconcat2(const char *prefix, const char *suffix);

/* finalize(): the release function, frees the object */
static void qmi_net_port_manager_qmiwwan_finalize(struct kref *ref)
{
	QmiNetPortManagerQmiwwan *self =
		container_of(ref, QmiNetPortManagerQmiwwan, ref);

	free(self->iface);
	free(self->sysfs_path);
	free(self->add_mux_sysfs_path);
	free(self->del_mux_sysfs_path);
	free(self);
}

void g_object_unref(QmiNetPortManagerQmiwwan *self)
{
	kref_put(&self->ref, qmi_net_port_manager_qmiwwan_finalize);
}

/* g_autoptr(QmiNetPortManagerQmiwwan): g_object_unref() at scope exit */
KREF_DEFINE_PUT(qmi_net_port_manager_qmiwwan_autoptr, QmiNetPortManagerQmiwwan,
		ref, qmi_net_port_manager_qmiwwan_finalize);

/* g_object_new(): a new object holding one reference */
static QmiNetPortManagerQmiwwan *qmi_net_port_manager_qmiwwan_alloc(void)
{
	QmiNetPortManagerQmiwwan *self = calloc(1, sizeof(*self));

	if (self)
		kref_init(&self->ref);
	return self;
}

QmiNetPortManagerQmiwwan *qmi_net_port_manager_qmiwwan_new(const char *iface,
							   char **error)
{
	QmiNetPortManagerQmiwwan *self __free(qmi_net_port_manager_qmiwwan_autoptr) = NULL;

	self = qmi_net_port_manager_qmiwwan_alloc();
	if (!self)
		return NULL;

	self->iface = strdup(iface);
	self->sysfs_path = g_strconcat2("/sys/class/net/", iface);
	self->add_mux_sysfs_path = g_strconcat2(self->sysfs_path, "/qmi/add_mux");
	self->del_mux_sysfs_path = g_strconcat2(self->sysfs_path, "/qmi/del_mux");

	if (!g_file_test_exists(self->add_mux_sysfs_path) ||
	    !g_file_test_exists(self->del_mux_sysfs_path)) {
		g_set_error_literal(error, "No support for multiplexing in the interface");
		return NULL;
	}

	return_ptr(self);
}
