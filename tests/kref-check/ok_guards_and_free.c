/* SPDX-License-Identifier: MIT */
/* Correct, with <kref/cleanup.h>: lookups under guard() and scoped_guard()
 * of the lock the final put takes, and a __free() variable that puts its
 * reference on every way out. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <kref.h>

struct printer {
	struct kref ref;
	struct printer *next;
	int id;
	int jammed;
};

static struct printer *printers;
static pthread_mutex_t printers_lock = PTHREAD_MUTEX_INITIALIZER;

static void printer_release(struct kref *ref)
{
	struct printer *p = container_of(ref, struct printer, ref), **pp;

	for (pp = &printers; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	pthread_mutex_unlock(&printers_lock);
	free(p);
}

KREF_DEFINE_PUT_MUTEX(printer_put, struct printer, ref, printer_release, &printers_lock);

struct printer *printer_find(int id)
{
	struct printer *p;

	guard(pthread_mutex)(&printers_lock);
	for (p = printers; p; p = p->next)
		if (p->id == id) {
			kref_get(&p->ref);
			return p;
		}
	return NULL;
}

struct printer *printer_first(void)
{
	struct printer *p = NULL;

	scoped_guard(pthread_mutex, &printers_lock) {
		p = printers;
		if (p)
			kref_get(&p->ref);
	}
	return p;
}

int printer_print(int id)
{
	struct printer *p __free(printer_put) = printer_find(id);

	if (!p)
		return -ENOENT;
	if (p->jammed)
		return -EIO;
	return 0;
}
