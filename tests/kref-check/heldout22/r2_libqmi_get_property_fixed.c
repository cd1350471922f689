/* SPDX-License-Identifier: MIT */
/*
 * Project: linux-mobile-broadband/libqmi
 * Path: src/libqmi-glib/qmi-device.c
 * Fix commit: ec745d3a98f810745936a4af09a355a8adc8c323
 * Bug: the QmiDevice "node" property getter took an extra reference on the
 * QRTR node before g_value_set_object(), which takes its own, so every read
 * of the property leaked one reference on the node.
 */
#include <stdlib.h>
#include <kref.h>

typedef struct QrtrNode {
	struct kref ref;
	unsigned int node_id;
} QrtrNode;

typedef struct QmiDevicePrivate {
	char *path;
	QrtrNode *node;			/* counted: the device owns one reference */
} QmiDevicePrivate;

typedef struct QmiDevice {
	struct kref ref;
	QmiDevicePrivate *priv;
} QmiDevice;

/* a GValue holding an object: it owns one reference on what it holds */
typedef struct GValue {
	QrtrNode *object;
} GValue;

enum {
	PROP_0,
	PROP_FILE,
	PROP_NODE,
};

/* stores the path string into the value (g_value_set_string copies it) */
extern void g_value_set_string(GValue *value, const char *s);

static void qrtr_node_finalize(struct kref *ref)
{
	free(container_of(ref, QrtrNode, ref));
}

static QrtrNode *g_object_ref(QrtrNode *node)
{
	kref_get(&node->ref);
	return node;
}

void g_object_unref(QrtrNode *node)
{
	kref_put(&node->ref, qrtr_node_finalize);
}

/* g_value_set_object(): the value takes its own reference */
void g_value_set_object(GValue *value, QrtrNode *object)
{
	if (object)
		g_object_ref(object);
	if (value->object)
		g_object_unref(value->object);
	value->object = object;
}

/* g_value_unset(): drops the value's reference */
void g_value_unset(GValue *value)
{
	if (value->object)
		g_object_unref(value->object);
	value->object = NULL;
}

void get_property(QmiDevice *self, unsigned int prop_id, GValue *value)
{
	switch (prop_id) {
	case PROP_FILE:
		g_value_set_string(value, self->priv->path);
		break;
	case PROP_NODE:
		g_value_set_object(value, self->priv->node);
		break;
	default:
		break;
	}
}
