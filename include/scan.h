/*
 * scan.h: a bus scan that never blocks the loop (--scan, and the console's
 * Commissioning screen).
 *
 * The scan runs on its own worker thread with its own line (bus_link): for
 * each address it reads the "SOCO" magic, and for each unit that answers it
 * identifies the device (extended name, software version, serial). It never
 * writes. Progress, finds and the end come back to the loop thread through
 * an ev_async and the callbacks below. A gateway answering for every unit id
 * (exceptions 10/11) or garbage does not make a meter: identification
 * decides.
 *
 * On a TCP port (BUS_TCP, BUS_RTU_TCP) the framing is checked as well:
 * until something answers in the framing asked for, an address that stays
 * silent (or a connection the port closes) is asked once more in the
 * other framing; when that answers, the scan goes on in it and the summary
 * names what the port speaks (a wrong type, named instead of a scan full
 * of timeouts). Asked RTU over TCP, Modbus TCP is tried at the first
 * failure only (a Modbus TCP gateway answers any unit id, if only with an
 * exception); asked Modbus TCP, RTU over TCP is tried at every silent
 * address until something answers (only a unit that is there answers).
 */
#ifndef SCAN_H
#define SCAN_H

#include <stdint.h>

#include "conf.h"
#include "err.h"

struct ev_loop;
struct scan;

struct scan_params {
	enum bus_type	 type;
	const char	*device;	/* BUS_RTU */
	const char	*host;		/* BUS_TCP, BUS_RTU_TCP */
	int		 port;		/* BUS_TCP, BUS_RTU_TCP, default 502 */
	int		 baud;		/* BUS_RTU, BUS_RTU_TCP (the far line) */
	char		 parity;	/* 'N' 'E' 'O' */
	int		 stop_bits;
	int		 first, last;	/* 1..247 */
	int		 timeout_ms;	/* 0: scan_default_timeout_ms */
};

struct scan_summary {
	int		 total;		/* addresses to scan */
	int		 scanned;	/* addresses done */
	int		 found;		/* COUNTIS E34 meters */
	int		 foreign;	/* devices that answered, not E34s */
	int		 gateway;	/* ids a gateway answered for (exc. 10/11) */
	int		 garbage;	/* ids whose answer was corrupt */
	int		 late;		/* answers that came after the timeout */
	int		 reprobed;	/* late units asked again at the end */
	uint32_t	 slowest_us;	/* slowest answer seen */
	int		 timeout_ms;	/* per-address timeout used */
	int64_t		 elapsed_ms;
	int		 cancelled;
	int		 failed;	/* the line could not be opened: error */
	char		 error[256];
	/* TCP ports: the framing the port answered in; kind_differs when
	 * that is not the one asked for (the scan went on in spoken) */
	enum bus_type	 spoken;
	int		 kind_differs;
	char		 kind_note[200];	/* "HOST:PORT speaks Modbus TCP,
					 * not RTU over TCP: ...", or "" */
};

struct scan_cbs {
	/* done of total addresses scanned; eta_ms -1 until it is known. */
	void	(*progress)(void *arg, int done, int total, int64_t eta_ms);
	/* A unit answered: is_e34, and what identification says. */
	void	(*found)(void *arg, int addr, int is_e34, const char *text);
	/* The scan ended (finished, cancelled or failed); s is borrowed. */
	void	(*done)(void *arg, const struct scan_summary *s);
	void	*arg;
};

/*
 * Start scanning on a worker thread; callbacks run on loop's thread. The
 * params are copied. Returns NULL with e set (code EXIT_USAGE) for bad
 * params; a line that cannot be opened is reported through done (failed).
 */
struct scan	*scan_start(struct ev_loop *, const struct scan_params *,
		    const struct scan_cbs *, struct err *e);
/* Ask the worker to stop after the address in progress; done still runs. */
void		 scan_cancel(struct scan *);
/* Cancel, join the worker, free. Callbacks no longer run. NULL is fine. */
void		 scan_free(struct scan *);

/*
 * Per-address timeout from the line speed: two frame times of the
 * identification request and reply plus 6 ms (about 28 ms at 19200 8N1);
 * 1000 ms over Modbus TCP (a gateway needs its own serial timeout first);
 * RTU over TCP: the serial figure plus 100 ms for the converter and the
 * network.
 */
int		 scan_default_timeout_ms(const struct scan_params *);
/*
 * TARGET as --scan takes it: a path (it holds a '/') is a serial device,
 * anything else host[:port], an IPv6 literal in brackets ([::1]:502) or
 * bare (::1, port 502). Fills type, device or host and port (pointing
 * into buf, which must outlive p). Returns 0 or -1 (EXIT_USAGE).
 */
int		 scan_parse_target(const char *target, char *buf, size_t len,
		    struct scan_params *p, struct err *e);

#endif
