/*
 * bus-tcp.c: a Modbus TCP connection (a gateway, or a TCP meter server).
 * Several unit ids behind one gateway share the connection: one bus is one
 * connection. Only the context is made here, and the host name checked;
 * bus.c runs the transactions (MBAP framing, transaction ids).
 */
#include <sys/socket.h>

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include <modbus.h>

#include "bus.h"

/* host without the brackets of an IPv6 literal ("[::1]" -> "::1"). */
static void
bus_tcp_host(const char *host, char *buf, size_t len)
{
	size_t	n = strlen(host);

	if (n >= 2 && host[0] == '[' && host[n - 1] == ']')
		snprintf(buf, len, "%.*s", (int)(n - 2), host + 1);
	else
		snprintf(buf, len, "%s", host);
}

/* A libmodbus TCP context for conf's host and port (not connected). */
struct _modbus *
bus_tcp_new(const struct bus_conf *conf, struct err *e)
{
	modbus_t	*ctx;
	char		 port[16], host[256];

	if (conf->host == NULL || conf->host[0] == '\0')
		return err_set(e, "bus %s: no host", conf->name), NULL;
	snprintf(port, sizeof port, "%d", conf->port > 0 ? conf->port : 502);
	bus_tcp_host(conf->host, host, sizeof host);
	/* _pi resolves names as well as numeric addresses, IPv6 too. */
	ctx = modbus_new_tcp_pi(host, port);
	if (ctx == NULL)
		err_set(e, "connect %s:%s: %s", conf->host, port,
		    strerror(errno));
	return ctx;
}

/*
 * libmodbus 3.1.6 reports a name that does not resolve as ECONNREFUSED;
 * resolve first so that the operator reads what went wrong.
 */
int
bus_tcp_resolve(const struct bus_conf *conf, struct err *e)
{
	struct addrinfo	 hints, *ai = NULL;
	char		 port[16], host[256];
	int		 rc;

	snprintf(port, sizeof port, "%d", conf->port > 0 ? conf->port : 502);
	bus_tcp_host(conf->host, host, sizeof host);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, port, &hints, &ai);
	if (ai != NULL)
		freeaddrinfo(ai);
	if (rc == 0)
		return 0;
	return err_set(e, "cannot resolve host '%s': %s", host,
	    rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
}
