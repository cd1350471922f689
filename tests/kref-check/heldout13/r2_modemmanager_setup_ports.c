/* SPDX-License-Identifier: MIT */
/*
 * Project: linux-mobile-broadband/ModemManager
 * Path: plugins/cinterion/mm-broadband-modem-cinterion.c
 * Fix: f21fde38559141e382ad64f8ce048d73c7e197a4
 * Bug: setup_ports() fetches the primary and secondary AT ports with
 * mm_base_modem_get_port_*(), which return a new reference, and never drops
 * those references, leaking both ports.
 */
#include <kref.h>
#include <stddef.h>

typedef struct _MMPortSerialAt {
	struct kref ref;
	int fd;
} MMPortSerialAt;

typedef struct _MMBaseModem {
	MMPortSerialAt *primary;
	MMPortSerialAt *secondary;
} MMBaseModem;

typedef MMBaseModem MMBroadbandModem;

typedef struct _MMBroadbandModemCinterionPrivate {
	void *sysstart_regex;
	void *scks_regex;
} MMBroadbandModemCinterionPrivate;

typedef struct _MMBroadbandModemCinterion {
	MMBroadbandModem parent;
	MMBroadbandModemCinterionPrivate *priv;
} MMBroadbandModemCinterion;

#define MM_BASE_MODEM(o)		((MMBaseModem *)(o))
#define MM_BROADBAND_MODEM_CINTERION(o)	((MMBroadbandModemCinterion *)(o))

/* frees the port (the GObject finalize) */
extern void mm_port_serial_at_finalize(MMPortSerialAt *port);
/* the parent class's setup_ports() */
extern void mm_broadband_modem_parent_setup_ports(MMBroadbandModem *self);
/* installs a handler for an unsolicited message; keeps no reference to
 * the port (the port owns its handler list) */
extern void mm_port_serial_at_add_unsolicited_msg_handler(MMPortSerialAt *port,
							   void *regex,
							   void *callback,
							   void *user_data,
							   void *notify);

static void mm_port_serial_at_release(struct kref *ref)
{
	mm_port_serial_at_finalize(container_of(ref, MMPortSerialAt, ref));
}

void mm_port_serial_at_unref(MMPortSerialAt *port)
{
	kref_put(&port->ref, mm_port_serial_at_release);
}

/* full reference, or NULL */
MMPortSerialAt *mm_base_modem_get_port_primary(MMBaseModem *self)
{
	if (self->primary)
		kref_get(&self->primary->ref);
	return self->primary;
}

MMPortSerialAt *mm_base_modem_get_port_secondary(MMBaseModem *self)
{
	if (self->secondary)
		kref_get(&self->secondary->ref);
	return self->secondary;
}

/* borrowed pointer, or NULL */
MMPortSerialAt *mm_base_modem_peek_port_primary(MMBaseModem *self)
{
	return self->primary;
}

MMPortSerialAt *mm_base_modem_peek_port_secondary(MMBaseModem *self)
{
	return self->secondary;
}

void setup_ports(MMBroadbandModem *_self)
{
	MMBroadbandModemCinterion *self = MM_BROADBAND_MODEM_CINTERION(_self);
	MMPortSerialAt *port;

	/* the parent class sets its handlers up first */
	mm_broadband_modem_parent_setup_ports(_self);

	/* Primary */
	port = mm_base_modem_get_port_primary(MM_BASE_MODEM(self)); /* expect: rule 2 */
	if (port) {
		mm_port_serial_at_add_unsolicited_msg_handler(
			port, self->priv->sysstart_regex, NULL, NULL, NULL);
		mm_port_serial_at_add_unsolicited_msg_handler(
			port, self->priv->scks_regex, NULL, NULL, NULL);
	}

	/* Secondary */
	port = mm_base_modem_get_port_secondary(MM_BASE_MODEM(self)); /* expect: rule 2 */
	if (port) {
		mm_port_serial_at_add_unsolicited_msg_handler(
			port, self->priv->sysstart_regex, NULL, NULL, NULL);
		mm_port_serial_at_add_unsolicited_msg_handler(
			port, self->priv->scks_regex, NULL, NULL, NULL);
	}
}
