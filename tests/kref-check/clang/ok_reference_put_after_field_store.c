/* SPDX-License-Identifier: MIT */
/* Correct: the bytes' own reference is put once the firmware, which
 * takes a reference of its own, is made from them. */
#include <stdlib.h>
#include <kref.h>

struct bytes { struct kref ref; void *data; size_t size; };
struct firmware { struct kref ref; struct bytes *bytes; };

static void bytes_release(struct kref *ref)
{
	struct bytes *b = container_of(ref, struct bytes, ref);

	free(b->data);
	free(b);
}

static struct bytes *bytes_ref(struct bytes *b)
{
	kref_get(&b->ref);
	return b;
}

void bytes_unref(struct bytes *b)
{
	kref_put(&b->ref, bytes_release);
}

/* Returns a new reference; takes over data. */
struct bytes *bytes_new_take(void *data, size_t size)
{
	struct bytes *b = calloc(1, sizeof(*b));

	if (!b)
		abort();
	kref_init(&b->ref);
	b->data = data;
	b->size = size;
	return b;
}

/* Returns a new firmware holding its own reference on b. */
struct firmware *firmware_new_from_bytes(struct bytes *b)
{
	struct firmware *fw = calloc(1, sizeof(*fw));

	if (!fw)
		abort();
	kref_init(&fw->ref);
	fw->bytes = bytes_ref(b);
	return fw;
}

struct firmware *device_read_firmware(size_t size)
{
	void *image = calloc(1, size);

	if (!image)
		return NULL;
	struct bytes *b = bytes_new_take(image, size);
	struct firmware *fw = firmware_new_from_bytes(b);

	bytes_unref(b);
	return fw;
}
