/* SPDX-License-Identifier: MIT */
/*
 * Source: fwupd, commit f241ee07492f04eeb775f5c8588fb8283f775d5c
 * ("fix(realtek-mst): fix refcounting memory leak"),
 * plugins/realtek-mst/fu-realtek-mst-device.c,
 * fu_realtek_mst_device_read_firmware().  The GBytes made from the flash
 * image is handed straight to fu_firmware_new_from_bytes(), which takes a
 * reference of its own.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <kref.h>

typedef uint8_t guint8;
typedef uint32_t guint32;
typedef size_t gsize;
typedef bool gboolean;
typedef struct GError GError;
typedef struct FuProgress FuProgress;

typedef struct {
	struct kref ref;
	void *data;
	gsize size;
} GBytes;

typedef struct {
	struct kref ref;
	GBytes *bytes;
} FuFirmware;

enum {
	FU_REALTEK_MST_DEVICE_FLASH_BANK_BOOT,
	FU_REALTEK_MST_DEVICE_FLASH_BANK_USER1,
	FU_REALTEK_MST_DEVICE_FLASH_BANK_USER2,
};

#define FLASH_USER1_ADDR	0x10000
#define FLASH_USER2_ADDR	0x80000
#define FLASH_USER_SIZE		0x70000

typedef struct {
	int active_bank;
} FuRealtekMstDevice;

static inline void *g_steal_pointer(void *pp)
{
	void **ptr = pp;
	void *ref = *ptr;

	*ptr = NULL;
	return ref;
}

static inline void g_autoptr_cleanup_generic_gfree(void *pp)
{
	free(*(void **)pp);
}

#define g_autofree __attribute__((cleanup(g_autoptr_cleanup_generic_gfree)))

extern void g_set_error_literal(GError **error, const char *message);
/* Reads len bytes of flash at address into buf over the ISP interface. */
extern gboolean fu_realtek_mst_device_flash_iface_read(FuRealtekMstDevice *self,
						       guint32 address, guint8 *buf,
						       gsize len, FuProgress *progress,
						       GError **error);

static void g_bytes_free(struct kref *ref)
{
	GBytes *bytes = container_of(ref, GBytes, ref);

	free(bytes->data);
	free(bytes);
}

GBytes *g_bytes_ref(GBytes *bytes)
{
	kref_get(&bytes->ref);
	return bytes;
}

void g_bytes_unref(GBytes *bytes)
{
	kref_put(&bytes->ref, g_bytes_free);
}

static inline void glib_autoptr_clear_GBytes(GBytes **bytes)
{
	if (*bytes != NULL)
		g_bytes_unref(*bytes);
}

#define g_autoptr(T) __attribute__((cleanup(glib_autoptr_clear_##T))) T *

/* Returns a new reference, taking ownership of data. */
GBytes *g_bytes_new_take(void *data, gsize size)
{
	GBytes *bytes = calloc(1, sizeof(*bytes));

	if (bytes == NULL)
		abort();
	kref_init(&bytes->ref);
	bytes->data = data;
	bytes->size = size;
	return bytes;
}

FuFirmware *fu_firmware_new(void)
{
	FuFirmware *self = calloc(1, sizeof(*self));

	if (self == NULL)
		abort();
	kref_init(&self->ref);
	return self;
}

void fu_firmware_set_bytes(FuFirmware *self, GBytes *bytes)
{
	if (self->bytes == bytes)
		return;
	if (self->bytes != NULL)
		g_bytes_unref(self->bytes);
	self->bytes = g_bytes_ref(bytes);
}

/* Returns: (transfer full): a new firmware holding its own reference on fw */
FuFirmware *fu_firmware_new_from_bytes(GBytes *fw)
{
	FuFirmware *self = fu_firmware_new();

	fu_firmware_set_bytes(self, fw);
	return self;
}

FuFirmware *fu_realtek_mst_device_read_firmware(FuRealtekMstDevice *self,
						FuProgress *progress, GError **error)
{
	guint32 bank_address;
	g_autofree guint8 *image_bytes = NULL;

	if (self->active_bank == FU_REALTEK_MST_DEVICE_FLASH_BANK_USER1)
		bank_address = FLASH_USER1_ADDR;
	else if (self->active_bank == FU_REALTEK_MST_DEVICE_FLASH_BANK_USER2)
		bank_address = FLASH_USER2_ADDR;
	else {
		g_set_error_literal(error, "cannot read firmware from bank");
		return NULL;
	}

	image_bytes = calloc(1, FLASH_USER_SIZE);
	if (image_bytes == NULL)
		return NULL;
	if (!fu_realtek_mst_device_flash_iface_read(self,
						    bank_address,
						    image_bytes,
						    FLASH_USER_SIZE,
						    progress,
						    error))
		return NULL;
	return fu_firmware_new_from_bytes( /* expect: rule 2 */
	    g_bytes_new_take(g_steal_pointer(&image_bytes), FLASH_USER_SIZE));
}
