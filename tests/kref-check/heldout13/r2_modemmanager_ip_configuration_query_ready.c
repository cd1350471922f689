/* SPDX-License-Identifier: MIT */
/*
 * Project: linux-mobile-broadband/ModemManager
 * Path: src/mm-bearer-mbim.c
 * Fix: 11b83e4cb8d310fc88a4e0152e625b7eafefe516
 * Bug: while logging the IPv6 DNS servers, ip_configuration_query_ready()
 * unrefs each GInetAddress explicitly although the variable is a
 * g_autoptr() that unrefs it again at the end of the loop body (double
 * unref, crash).
 */
#include <kref.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct _GInetAddress {
	struct kref ref;
	uint8_t bytes[16];
} GInetAddress;

typedef struct _MMBearerMbim MMBearerMbim;

typedef struct {
	uint8_t addr[16];
} MbimIPv6;

/* debug log line about the bearer */
extern void mm_obj_dbg(MMBearerMbim *self, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* a newly allocated text form of the address; the caller frees it */
extern char *g_inet_address_to_string(GInetAddress *address);
/* aborts when out of memory, like g_new0() */
extern void *g_malloc0(size_t size);
/* frees the address (the GObject finalize) */
extern void g_inet_address_finalize(GInetAddress *address);

static void g_inet_address_release(struct kref *ref)
{
	g_inet_address_finalize(container_of(ref, GInetAddress, ref));
}

void g_object_unref(GInetAddress *address)
{
	kref_put(&address->ref, g_inet_address_release);
}

/* g_autoptr(GInetAddress): unref at the end of the variable's scope */
KREF_DEFINE_PUT(GInetAddress_autoptr, GInetAddress, ref, g_inet_address_release);

/* new object, one reference for the caller */
GInetAddress *g_inet_address_new_from_bytes(const uint8_t *bytes)
{
	GInetAddress *address = g_malloc0(sizeof(*address));

	kref_init(&address->ref);
	memcpy(address->bytes, bytes, sizeof(address->bytes));
	return address;
}

int g_inet_address_get_is_any(GInetAddress *address)
{
	static const uint8_t any[16];

	return memcmp(address->bytes, any, sizeof(any)) == 0;
}

/* the DNS part of the IPv6 configuration reply */
void ip_configuration_query_ready(MMBearerMbim *self,
				  const MbimIPv6 *ipv6dnsserver,
				  unsigned int ipv6dnsservercount)
{
	unsigned int i;

	mm_obj_dbg(self, "  DNS addresses (%u)", ipv6dnsservercount);
	for (i = 0; i < ipv6dnsservercount; i++) {
		GInetAddress *addr __free(GInetAddress_autoptr) = NULL;

		addr = g_inet_address_new_from_bytes(ipv6dnsserver[i].addr);
		if (!g_inet_address_get_is_any(addr)) {
			char *str = g_inet_address_to_string(addr);

			mm_obj_dbg(self, "    DNS [%u]: '%s'", i, str);
			free(str);
		}
		g_object_unref(addr); /* expect: rule 2 */
	}
}
