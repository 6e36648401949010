/*
 * bus-rtu.c: a Modbus RTU line on a serial device (RS485 adapter, or a
 * pseudo-terminal standing in for one). Only the context is made here; the
 * transactions and the silent interval are bus.c's.
 */
#include <errno.h>
#include <string.h>

#include <modbus.h>

#include "bus.h"

/* A libmodbus RTU context for conf's device and line settings (not open). */
struct _modbus *
bus_rtu_new(const struct bus_conf *conf, struct err *e)
{
	modbus_t	*ctx;
	char		 parity = conf->parity ? conf->parity : 'N';

	if (conf->device == NULL || conf->device[0] == '\0')
		return err_set(e, "bus %s: no device", conf->name), NULL;
	ctx = modbus_new_rtu(conf->device, conf->baud, parity, 8,
	    conf->stop_bits ? conf->stop_bits : 1);
	if (ctx == NULL)
		err_set(e, "open %s: %s", conf->device, strerror(errno));
	return ctx;
}
