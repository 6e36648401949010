/*
 * bus-rtu-tcp.c: RTU over TCP, and telling which framing a TCP port speaks.
 *
 * Most cheap serial-to-Ethernet converters pass RTU frames, CRC and all,
 * through a TCP connection unchanged. libmodbus 3.1.6 has no backend for
 * that, and bus.c does not need one: libmodbus's TCP context makes and
 * closes the socket (name resolution, connect with its timeout), and
 * bus.c's RTU transaction runs on that socket with the far line's wire
 * time in its deadline (bus_rtu_xfer, "net"). What is here is the probe: a
 * port configured with the wrong type shows as timeouts or a closed
 * connection, so the framing that does get an answer is named instead.
 */
#include <stdio.h>
#include <string.h>

#include "bus.h"
#include "regmap.h"

const char *
bus_kind_name(enum bus_type t)
{
	switch (t) {
	case BUS_TCP:
		return "Modbus TCP";
	case BUS_RTU_TCP:
		return "RTU over TCP";
	default:
		return "Modbus RTU";
	}
}

enum bus_type
bus_kind_other(enum bus_type t)
{
	return t == BUS_TCP ? BUS_RTU_TCP : BUS_TCP;
}

/* Ask for "SOCO" in framing type on a connection of its own (see bus.h). */
int
bus_net_probe(const struct bus_conf *conf, enum bus_type type, int unit,
    int timeout_ms)
{
	const struct reg_def	*magic = regmap_get(REG_SOCO_MAGIC);
	struct bus_conf		 c = *conf;
	struct bus_link		 l;
	struct bus_xfer		 x;
	uint16_t		 words[BUS_MAX_WORDS];
	struct err		 e;
	int			 rc;

	c.type = type;
	bus_link_init(&l, &c, timeout_ms);
	if (bus_link_open(&l, &e) == -1)
		return -1;
	memset(&x, 0, sizeof x);
	x.addr = magic->addr;
	x.count = magic->count;
	x.words = words;
	rc = bus_link_xfer(&l, unit, &x);
	bus_link_close(&l);
	if (rc == -1)	/* closed by the peer, or not this framing at all */
		return 0;
	return x.outcome == ST_ANSWER || x.outcome == ST_EXCEPTION ||
	    x.other_unit != 0;
}

/*
 * Name the framing the port speaks when it is not the bus's (see bus.h).
 * In the other framing only a unit that is there answers: ask the unit of
 * the failed request, then those of the timeouts before it (the last
 * request may have been for a dead meter).
 */
void
bus_link_name_kind(struct bus_link *l, int unit)
{
	const struct bus_conf	*c = l->conf;
	enum bus_type		 other = bus_kind_other(c->type);
	int			 i, j, n = l->silent_n;

	if (n > BUS_TCP_SILENT_MAX)
		n = BUS_TCP_SILENT_MAX;
	for (i = -1; i < n && !l->spoken_other; i++) {
		for (j = 0; i >= 0 && j < i && l->silent_unit[j] !=
		    l->silent_unit[i]; j++)
			;
		if (i >= 0 && (l->silent_unit[i] == unit || j < i))
			continue;	/* asked already */
		if (bus_net_probe(c, other, i < 0 ? unit : l->silent_unit[i],
		    l->timeout_ms) == 1)
			l->spoken_other = 1;
	}
	if (!l->spoken_other)
		return;
	snprintf(l->last_error, sizeof l->last_error, "%s:%d speaks %s, not "
	    "%s: set type = %s in [bus %s]", c->host, c->port,
	    bus_kind_name(other), bus_kind_name(c->type),
	    bus_type_name(other), c->name);
}
