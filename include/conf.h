/*
 * config.h: countis-tui.ini, parsed with inih through our own line reader.
 *
 * The loader owns every string it stores (config_free releases them). Errors
 * name file:line, the section, the key and the value, and carry exit code 78
 * (EXIT_CONFIG) or 66 (EXIT_NOINPUT) for a file that cannot be read.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include "err.h"
#include "wire.h"	/* bus_char_us, bus_parity_name, bus_parity_parse */

#define CONFIG_MAX_LINE		198	/* longest line (bytes, without \n) */
#define CONFIG_MAX_BYTES	1048576	/* largest file read (bytes) */
#define CONFIG_MAX_BUSES	32
#define CONFIG_MAX_METERS	512

/*
 * rtu: a serial line; tcp: Modbus TCP (MBAP framing) to a gateway or a
 * meter server; rtu-tcp: RTU frames, CRC included, carried as they are over
 * a TCP connection to a serial-to-Ethernet converter in front of one RS485
 * line (baud and parity are that line's: they set its wire time).
 */
enum bus_type { BUS_RTU, BUS_TCP, BUS_RTU_TCP };
enum csv_dialect { CSV_RFC4180, CSV_EXCEL_EU };

struct bus_conf {
	char		*name;		/* after "bus " in the section name */
	int		 line;		/* line of the section header */
	enum bus_type	 type;
	char		*device;	/* rtu */
	int		 baud;		/* 4800 9600 19200 38400 */
	char		 parity;	/* 'N' 'E' 'O' */
	int		 stop_bits;	/* 1 2 */
	int		 timeout_ms;	/* 10..10000 */
	char		*host;		/* tcp, rtu-tcp */
	int		 port;		/* 1..65535, default 502 */
};

struct meter_conf {
	char		*name;		/* after "meter " */
	int		 line;
	char		*bus_name;
	int		 bus;		/* index into config.buses */
	int		 address;	/* 1..247 */
	int		 poll_ms;	/* 100..3600000 */
	char		*label;		/* never NULL: defaults to name */
};

/* [mqtt]: publish to a broker (src/export/mqtt.c); off unless the section exists. */
struct mqtt_conf {
	int		 enabled;	/* the section is present */
	char		*host;		/* required */
	int		 port;		/* 1..65535, default 1883 */
	char		*client_id;	/* default countis-tui-HOSTNAME */
	char		*topic_prefix;	/* default "countis" */
	char		*username;
	char		*password_file;	/* read at start, first line */
	int		 tls;		/* 0 off, 1 on */
	char		*ca_file;	/* tls: default the system's CA directory */
	int		 qos;		/* 0 or 1 */
	int		 discovery;	/* Home Assistant discovery, default on */
	char		*discovery_prefix;	/* default "homeassistant" */
};

/* [prometheus]: metrics over HTTP and/or a textfile (either or both). */
struct prom_conf {
	int		 line;		/* of the section header; 0 = no section */
	char		*listen;	/* "HOST:PORT" (numeric host), or NULL */
	char		*textfile;	/* node_exporter textfile path, or NULL */
};

struct config {
	char		*path;		/* the file read, or "(demo)" */
	char		*theme;		/* default "default" */
	int		 refresh_ms;	/* 50..10000, default 1000 */
	int		 writes;	/* 0 off, 1 on */
	char		*export_dir;	/* default "." */
	enum csv_dialect csv_dialect;	/* default rfc4180 */
	struct bus_conf	 buses[CONFIG_MAX_BUSES];
	int		 nbuses;
	struct meter_conf meters[CONFIG_MAX_METERS];
	int		 nmeters;
	struct mqtt_conf mqtt;
	struct prom_conf prometheus;
};

/* Set every field to its default, no buses, no meters. */
void	config_init(struct config *);
/* Release what config_load stored; the struct can be loaded again. */
void	config_free(struct config *);

/*
 * Load path into cfg (after config_init). Returns 0, or -1 with e->msg such
 * as "countis-tui.ini:14: [bus main] baud = '19201': expected 4800, 9600,
 * 19200 or 38400" and e->code = EXIT_CONFIG (EXIT_NOINPUT when the file is
 * missing, unreadable or not a regular file: a FIFO or a device is refused,
 * not read). Every error of the file is found in one run; e->msg holds them
 * one per line as far as they fit, then "(N more errors not shown; ...)".
 * Control bytes from the file appear escaped as \xNN.
 */
int	config_load(struct config *cfg, const char *path, struct err *e);

/*
 * The same, and each (when not NULL) gets every complaint, "FILE:LINE:
 * ...", in the order found, however many there are (--check-config).
 */
typedef void	config_each_fn(void *arg, const char *complaint);
int	config_load_each(struct config *cfg, const char *path,
	    config_each_fn *each, void *arg, struct err *e);

/*
 * Find the configuration file per PRODUCT.md: explicit (-c), else
 * $COUNTIS_TUI_CONFIG, ./countis-tui.ini, $XDG_CONFIG_HOME (default
 * ~/.config)/countis-tui/countis-tui.ini, SYSCONFDIR/countis-tui.ini,
 * /etc/countis-tui.ini. Writes the path to buf; returns 0, or -1 (exit 66)
 * naming every place looked at.
 */
int	config_find(const char *explicit_path, char *buf, size_t len,
	    struct err *e);

/*
 * Split "HOST:PORT" (HOST an IPv4 address, or an IPv6 one in brackets) into
 * host (without brackets) and port 1..65535. Returns 0, or -1 with why set.
 */
int	config_listen_parse(const char *s, char *host, size_t hostlen,
	    int *port, const char **why);


#endif
