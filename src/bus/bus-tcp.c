/*
 * bus-tcp.c: a Modbus TCP connection (a gateway, or a TCP meter server).
 * Several unit ids behind one gateway share the connection: one bus is one
 * connection. Only the context is made here; bus.c runs it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <modbus.h>

#include "bus.h"

/* A libmodbus TCP context for conf's host and port (not connected). */
struct _modbus *
bus_tcp_new(const struct bus_conf *conf, struct err *e)
{
	modbus_t	*ctx;
	char		 port[16];

	if (conf->host == NULL || conf->host[0] == '\0')
		return err_set(e, "bus %s: no host", conf->name), NULL;
	snprintf(port, sizeof port, "%d", conf->port > 0 ? conf->port : 502);
	/* _pi resolves names as well as numeric addresses. */
	ctx = modbus_new_tcp_pi(conf->host, port);
	if (ctx == NULL)
		err_set(e, "connect %s:%s: %s", conf->host, port,
		    strerror(errno));
	return ctx;
}
