/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: FreeRDP/FreeRDP commit
 * 4a6ee98692ff751f6f2032c0456b059a0f8e2fcb "channels/printer/cups: fix
 * use-after-free of driver singleton", channels/printer/client/cups/
 * printer_cups.c, printer_cups_new_printer().  The printer stores the
 * driver singleton in its long-lived field printer.backend at once, but
 * takes the driver reference (backend->AddRef) only at the end, on success.
 * The two _strdup() failure paths go to printer_cups_free_printer(), which
 * releases printer->backend unconditionally: a reference never taken is
 * dropped, and the singleton can be freed while the channel still uses
 * it.  The fix takes the reference where backend is assigned.  The
 * driver's `references` counter written with a kref.
 */
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <kref.h>

typedef struct rdp_printer_driver rdpPrinterDriver;
typedef struct rdp_printer rdpPrinter;

struct rdp_printer_driver {
	void (*AddRef)(rdpPrinterDriver *driver);
	void (*ReleaseRef)(rdpPrinterDriver *driver);
};

struct rdp_printer {
	size_t id;
	char *name;
	char *driver;
	bool is_default;
	rdpPrinterDriver *backend;
	void (*AddRef)(rdpPrinter *printer);
	void (*ReleaseRef)(rdpPrinter *printer);
};

typedef struct {
	rdpPrinterDriver driver;
	size_t id_sequence;
	struct kref references;
} rdpCupsPrinterDriver;

typedef struct { rdpPrinter printer; } rdpCupsPrinter;

#define WINPR_ASSERT(cond) ((void)(cond))
#define _strdup(s) strdup(s)

extern void printer_cups_add_ref_printer(rdpPrinter *printer);
extern void printer_cups_release_ref_printer(rdpPrinter *printer);

static rdpCupsPrinterDriver *uniq_cups_driver;

static void printer_cups_driver_free(struct kref *ref)
{
	rdpCupsPrinterDriver *cups_driver = container_of(ref, rdpCupsPrinterDriver, references);

	if (uniq_cups_driver == cups_driver)
		uniq_cups_driver = NULL;
	free(cups_driver);
}

void printer_cups_add_ref_driver(rdpPrinterDriver *driver)
{
	kref_get(&((rdpCupsPrinterDriver *)driver)->references);
}

void printer_cups_release_ref_driver(rdpPrinterDriver *driver)
{
	kref_put(&((rdpCupsPrinterDriver *)driver)->references, printer_cups_driver_free);
}

static void printer_cups_free_printer(rdpPrinter *printer)
{
	if (printer->backend) {
		WINPR_ASSERT(printer->backend->ReleaseRef);
		printer->backend->ReleaseRef(printer->backend);
	}
	free(printer->name);
	free(printer->driver);
	free(printer);
}

rdpPrinter *printer_cups_new_printer(rdpCupsPrinterDriver *cups_driver, const char *name,
				     const char *driverName, bool is_default)
{
	rdpCupsPrinter *cups_printer;

	cups_printer = calloc(1, sizeof(rdpCupsPrinter));
	if (!cups_printer)
		return NULL;

	cups_printer->printer.backend = &cups_driver->driver; /* expect: rule 1 */

	cups_printer->printer.id = cups_driver->id_sequence++;
	cups_printer->printer.name = _strdup(name);
	if (!cups_printer->printer.name)
		goto fail;

	cups_printer->printer.driver = _strdup(driverName ? driverName : "MS Publisher Imagesetter");
	if (!cups_printer->printer.driver)
		goto fail;

	cups_printer->printer.is_default = is_default;
	cups_printer->printer.AddRef = printer_cups_add_ref_printer;
	cups_printer->printer.ReleaseRef = printer_cups_release_ref_printer;

	WINPR_ASSERT(cups_printer->printer.AddRef);
	cups_printer->printer.AddRef(&cups_printer->printer);

	WINPR_ASSERT(cups_printer->printer.backend->AddRef);
	cups_printer->printer.backend->AddRef(cups_printer->printer.backend);

	return &cups_printer->printer;

fail:
	printer_cups_free_printer(&cups_printer->printer);
	return NULL;
}
