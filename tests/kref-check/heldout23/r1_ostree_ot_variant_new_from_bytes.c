/* SPDX-License-Identifier: MIT */
/*
 * Project: ostreedev/ostree
 * Path:    src/libotutil/ot-variant-utils.c
 * Fix:     349083194d2064abf657494a15fc4bf456d80efd
 * Bug:     the pre-GLib-2.36 fallback of ot_variant_new_from_bytes() hands
 *          the caller's GBytes to g_variant_new_from_data() with
 *          g_bytes_unref as the destroy notify, but takes no reference for
 *          the variant, so the variant drops a reference it never owned.
 */
#include <kref.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

typedef struct _GVariant GVariant;
typedef struct _GVariantType GVariantType;
typedef void (*GDestroyNotify)(void *data);

typedef struct _GBytes {
	struct kref ref;		/* g_bytes_ref / g_bytes_unref */
	void *data;
	size_t size;
} GBytes;

/*
 * wraps data without copying; keeps user_data until the variant is freed,
 * then calls notify(user_data)
 */
extern GVariant *g_variant_new_from_data(const GVariantType *type,
					 const void *data, size_t size,
					 bool trusted, GDestroyNotify notify,
					 void *user_data);

static void g_bytes_free_cb(struct kref *ref)
{
	GBytes *bytes = container_of(ref, GBytes, ref);

	free(bytes->data);
	free(bytes);
}

void g_bytes_unref(void *data)
{
	GBytes *bytes = data;

	kref_put(&bytes->ref, g_bytes_free_cb);
}

static const void *g_bytes_get_data(GBytes *bytes, size_t *size)
{
	*size = bytes->size;
	return bytes->data;
}

/* the caller keeps its own reference on bytes */
GVariant *ot_variant_new_from_bytes(const GVariantType *type, GBytes *bytes,
				    bool trusted)
{
	size_t size;
	const void *data = g_bytes_get_data(bytes, &size);

	return g_variant_new_from_data(type, data, size, trusted, g_bytes_unref, bytes); /* expect: rule 1 */
}
