/*
 * config.c: countis-tui.ini, read through inih with our own line reader.
 *
 * The reader (config_read_line) hands inih one line at a time. It counts the
 * lines itself, so every complaint knows its line (Debian's inih r55 is built
 * without INI_HANDLER_LINENO), rejects lines longer than CONFIG_MAX_LINE
 * (inih would silently cut them and shift every later line number), strips
 * leading blanks (so an indented key is not taken for a continuation line)
 * and parses section headers itself (inih does not tell the handler about a
 * section without keys, yet a [meter] without keys is an error to report).
 * Keys are a table (config_keys[]): section kind, name, parser, bounds.
 * Rules that span keys (bus exists, unique addresses) run after the file,
 * also when keys were refused, so one run reports every error of the file;
 * a rule that depends on a refused key is left out (no knock-on errors).
 * Only a regular file is read (a FIFO or /dev/zero would hang the
 * reader), at most CONFIG_MAX_BYTES of it, and control bytes from the file
 * are escaped in messages (\x01), never echoed to the terminal.
 * config_find (where the file is looked for) is at the end. Opening serial
 * devices and resolving hosts is the engine's business, not ours.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <ini.h>

/* "config.h" from src/ would find autoconf's header first (-I.). */
#include "conf.h"	/* not a stale autoconf config.h in an old build dir */
#include "csv.h"
#include "parse.h"

#define NAME_MAX_LEN	32
#define RAW_LINE	4096	/* reader buffer; longer lines are drained */

enum sect_kind { SECT_NONE, SECT_CONSOLE, SECT_BUS, SECT_METER, SECT_BAD,
    SECT_MQTT, SECT_PROMETHEUS };

struct config_parse;
struct key_def;
typedef int	key_parse_fn(struct config_parse *, const struct key_def *,
		    void *, const char *);

/* One configuration key: where it lives, how it is read, what it accepts. */
struct key_def {
	enum sect_kind	 kind;
	const char	*name;
	key_parse_fn	*parse;
	size_t		 off;		/* offset in config, bus_conf or meter_conf */
	long		 min, max;
	const char	*expect;	/* appended to complaints */
};

static key_parse_fn parse_int, parse_baud, parse_parity, parse_str,
    parse_name, parse_bool, parse_dialect, parse_bustype, parse_address;
static key_parse_fn parse_topic;
static key_parse_fn parse_listen;

static const struct key_def config_keys[] = {
	{ SECT_CONSOLE, "theme", parse_name, offsetof(struct config, theme),
	  0, 0, "expected a theme name (file themes/NAME.theme)" },
	{ SECT_CONSOLE, "refresh_ms", parse_int,
	  offsetof(struct config, refresh_ms), 50, 10000,
	  "expected 50..10000 (milliseconds)" },
	{ SECT_CONSOLE, "writes", parse_bool, offsetof(struct config, writes),
	  0, 0, "expected on or off" },
	{ SECT_CONSOLE, "export_dir", parse_str,
	  offsetof(struct config, export_dir), 0, 0, "expected a directory" },
	{ SECT_CONSOLE, "csv_dialect", parse_dialect,
	  offsetof(struct config, csv_dialect), 0, 0,
	  "expected rfc4180 or excel-eu" },

	{ SECT_BUS, "type", parse_bustype, offsetof(struct bus_conf, type),
	  0, 0, "expected rtu, tcp or rtu-tcp" },
	{ SECT_BUS, "device", parse_str, offsetof(struct bus_conf, device),
	  0, 0, "expected a serial device such as /dev/ttyUSB0" },
	{ SECT_BUS, "baud", parse_baud, offsetof(struct bus_conf, baud),
	  0, 0, "expected 4800, 9600, 19200 or 38400" },
	{ SECT_BUS, "parity", parse_parity, offsetof(struct bus_conf, parity),
	  0, 0, "expected none, even or odd" },
	{ SECT_BUS, "stop_bits", parse_int,
	  offsetof(struct bus_conf, stop_bits), 1, 2, "expected 1 or 2" },
	{ SECT_BUS, "timeout_ms", parse_int,
	  offsetof(struct bus_conf, timeout_ms), 10, 10000,
	  "expected 10..10000 (milliseconds)" },
	{ SECT_BUS, "host", parse_str, offsetof(struct bus_conf, host),
	  0, 0, "expected a host name or address" },
	{ SECT_BUS, "port", parse_int, offsetof(struct bus_conf, port),
	  1, 65535, "expected 1..65535" },

	{ SECT_METER, "bus", parse_name, offsetof(struct meter_conf, bus_name),
	  0, 0, "expected the NAME of a [bus NAME] section" },
	{ SECT_METER, "address", parse_address,
	  offsetof(struct meter_conf, address), 1, 247, "expected 1..247" },
	{ SECT_METER, "poll_ms", parse_int,
	  offsetof(struct meter_conf, poll_ms), 100, 3600000,
	  "expected 100..3600000 (milliseconds)" },
	{ SECT_METER, "label", parse_str, offsetof(struct meter_conf, label),
	  0, 0, "expected text; leave the key out to show the meter name" },

#define MQ(f)	offsetof(struct config, mqtt.f)
	{ SECT_MQTT, "host", parse_str, MQ(host), 0, 0,
	  "expected the broker's host name or address" },
	{ SECT_MQTT, "port", parse_int, MQ(port), 1, 65535, "expected 1..65535" },
	{ SECT_MQTT, "client_id", parse_topic, MQ(client_id), 0, 0,
	  "expected a client id (letters, digits, '.', '_', '-')" },
	{ SECT_MQTT, "topic_prefix", parse_topic, MQ(topic_prefix), 0, 0,
	  "expected topic levels such as countis or site/countis" },
	{ SECT_MQTT, "username", parse_str, MQ(username), 0, 0,
	  "expected the broker user name" },
	{ SECT_MQTT, "password_file", parse_str, MQ(password_file), 0, 0,
	  "expected a file whose first line is the password" },
	{ SECT_MQTT, "tls", parse_bool, MQ(tls), 0, 0, "expected on or off" },
	{ SECT_MQTT, "ca_file", parse_str, MQ(ca_file), 0, 0,
	  "expected a PEM file of the CA that signed the broker's certificate" },
	{ SECT_MQTT, "qos", parse_int, MQ(qos), 0, 1, "expected 0 or 1" },
	{ SECT_MQTT, "discovery", parse_bool, MQ(discovery), 0, 0,
	  "expected on or off" },
	{ SECT_MQTT, "discovery_prefix", parse_topic, MQ(discovery_prefix),
	  0, 0, "expected topic levels such as homeassistant" },
#undef MQ
	{ SECT_PROMETHEUS, "listen", parse_listen,
	  offsetof(struct prom_conf, listen), 0, 0,
	  "expected ADDRESS:PORT, e.g. 127.0.0.1:9534 or [::1]:9534" },
	{ SECT_PROMETHEUS, "textfile", parse_str,
	  offsetof(struct prom_conf, textfile), 0, 0,
	  "expected a file path (node_exporter's textfile directory)" },
};
#define NKEYS	((int)(sizeof config_keys / sizeof config_keys[0]))

/* Parser state shared by the line reader and the key handler. */
struct config_parse {
	struct config	*cfg;
	const char	*path;
	FILE		*fp;
	struct err	*e;
	config_each_fn	*each;		/* gets every complaint, or NULL */
	void		*each_arg;
	long		 bytes;		/* read so far */
	int		 nerrors;
	int		 omitted;	/* complaints that did not fit */
	int		 lineno;	/* line last handed to inih */
	enum sect_kind	 kind;		/* current section */
	int		 idx;		/* its bus or meter index */
	char		 label[64];	/* "[bus rs485-1]" for messages */
	int		 console_line;
	int		 console_keys[NKEYS];	/* line each key was set on */
	int		 bus_keys[CONFIG_MAX_BUSES][NKEYS];
	int		 meter_keys[CONFIG_MAX_METERS][NKEYS];
	int		 mqtt_line;
	int		 mqtt_keys[NKEYS];
	int		 prom_keys[NKEYS];
	/* keys whose value was refused: rules that need them are left out */
	unsigned char	 bus_bad[CONFIG_MAX_BUSES][NKEYS];
	unsigned char	 meter_bad[CONFIG_MAX_METERS][NKEYS];
	int		 meter_headers;	/* [meter ...] headers, even refused */
	char		 raw[RAW_LINE];
};

static int	config_check(struct config_parse *);

/*
 * Copy in to out (len bytes, NUL included), writing a byte that could drive
 * the terminal as \xNN: C0 controls, DEL, C1 controls and bytes that are not
 * valid UTF-8. Valid UTF-8 text (labels in any language) passes unchanged.
 */
static void
config_escape(const char *in, char *out, size_t len)
{
	const unsigned char	*p = (const unsigned char *)in;
	size_t			 o = 0, n, i;
	unsigned		 c, lo, hi;

	while (*p != '\0' && o + 1 < len) {
		c = *p;
		n = 0;
		lo = 0x80;
		hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF)
			n = 2;
		else if (c >= 0xE0 && c <= 0xEF) {
			n = 3;
			lo = c == 0xE0 ? 0xA0 : 0x80;	/* no overlong form */
			hi = c == 0xED ? 0x9F : 0xBF;	/* no surrogate */
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 4;
			lo = c == 0xF0 ? 0x90 : 0x80;
			hi = c == 0xF4 ? 0x8F : 0xBF;
		}
		for (i = 1; i < n; i++)
			if (p[i] < (i == 1 ? lo : 0x80) ||
			    p[i] > (i == 1 ? hi : 0xBF))
				n = 0;
		if (n == 2 && c == 0xC2 && p[1] <= 0x9F)
			n = 0;				/* U+0080..U+009F */
		if (n == 0 && c >= 0x20 && c != 0x7F && c < 0x80)
			n = 1;
		if (n == 0) {
			if (o + 5 > len)
				break;
			snprintf(out + o, len - o, "\\x%02X", c);
			o += 4;
			p++;
			continue;
		}
		if (o + n + 1 > len)
			break;
		memcpy(out + o, p, n);
		o += n;
		p += n;
	}
	out[o] = '\0';
}

/*
 * Record a complaint at line. The message holds the complaints one per line
 * ("FILE:LINE: ..."), as many as fit; config_load counts the others.
 */
static void __attribute__((format(printf, 3, 4)))
config_error(struct config_parse *cp, int line, const char *fmt, ...)
{
	char	raw[sizeof cp->e->msg], one[sizeof cp->e->msg];
	size_t	used;
	va_list	ap;
	int	n;

	if (line > 0)
		n = snprintf(raw, sizeof raw, "%s:%d: ", cp->path, line);
	else
		n = snprintf(raw, sizeof raw, "%s: ", cp->path);
	if (n < 0 || (size_t)n >= sizeof raw)
		n = 0;
	va_start(ap, fmt);
	vsnprintf(raw + n, sizeof raw - n, fmt, ap);
	va_end(ap);
	config_escape(raw, one, sizeof one);
	cp->e->code = EXIT_CONFIG;
	if (cp->each != NULL)
		cp->each(cp->each_arg, one);
	if (cp->nerrors++ == 0) {
		snprintf(cp->e->msg, sizeof cp->e->msg, "%s", one);
		return;
	}
	used = strlen(cp->e->msg);
	/* keep room for the "(N more errors)" line */
	if (cp->omitted == 0 && used + 1 + strlen(one) + 32 < sizeof cp->e->msg)
		snprintf(cp->e->msg + used, sizeof cp->e->msg - used, "\n%s",
		    one);
	else
		cp->omitted++;
}

/* Say why name is not a valid bus/meter/theme name, or return NULL. */
static const char *
config_name_why(const char *name, char *buf, size_t len)
{
	size_t	i, n = strlen(name);

	if (n == 0)
		return "the name is empty";
	if (n > NAME_MAX_LEN) {
		snprintf(buf, len, "the name is %zu characters long, at most %d",
		    n, NAME_MAX_LEN);
		return buf;
	}
	if (!isalnum((unsigned char)name[0])) {
		snprintf(buf, len, "a name starts with a letter or digit, "
		    "not '%c'", name[0]);
		return buf;
	}
	for (i = 0; i < n; i++) {
		if (isalnum((unsigned char)name[i]) || name[i] == '.' ||
		    name[i] == '_' || name[i] == '-')
			continue;
		snprintf(buf, len, "'%c' at position %zu is not allowed; names "
		    "use letters, digits, '.', '_' and '-' (they appear in CSV "
		    "columns and file names)", name[i], i + 1);
		return buf;
	}
	return NULL;
}

/* Section kind of a header "[word NAME]" or "[console]"; sets *name. */
static enum sect_kind
config_section_kind(char *inner, char **name)
{
	*name = NULL;
	if (strcmp(inner, "console") == 0)
		return SECT_CONSOLE;
	if (strcmp(inner, "mqtt") == 0)
		return SECT_MQTT;
	if (strcmp(inner, "prometheus") == 0)
		return SECT_PROMETHEUS;
	if (strncmp(inner, "bus ", 4) == 0) {
		*name = inner + 4;
		return SECT_BUS;
	}
	if (strncmp(inner, "meter ", 6) == 0) {
		*name = inner + 6;
		return SECT_METER;
	}
	if (strcmp(inner, "bus") == 0 || strcmp(inner, "meter") == 0) {
		*name = inner + strlen(inner);
		return inner[0] == 'b' ? SECT_BUS : SECT_METER;
	}
	return SECT_NONE;
}

/* Find bus or meter NAME defined before; returns its index or -1. */
static int
config_find_named(const struct config *cfg, enum sect_kind kind,
    const char *name)
{
	int	i;

	if (kind == SECT_BUS) {
		for (i = 0; i < cfg->nbuses; i++)
			if (strcmp(cfg->buses[i].name, name) == 0)
				return i;
	} else {
		for (i = 0; i < cfg->nmeters; i++)
			if (strcmp(cfg->meters[i].name, name) == 0)
				return i;
	}
	return -1;
}

/* Start a section named by the text between the brackets. */
static void
config_section(struct config_parse *cp, char *inner)
{
	struct config	*cfg = cp->cfg;
	enum sect_kind	 kind;
	char		*name, why[160], *copy;
	const char	*reason;
	int		 i;

	cp->kind = SECT_BAD;
	snprintf(cp->label, sizeof cp->label, "[%.60s]", inner);
	kind = config_section_kind(inner, &name);
	if (kind == SECT_METER)
		cp->meter_headers++;
	if (kind == SECT_NONE) {
		config_error(cp, cp->lineno, "unknown section '[%s]': expected "
		    "[console], [bus NAME], [meter NAME], [mqtt] or "
		    "[prometheus]", inner);
		return;
	}
	if (kind == SECT_MQTT) {
		if (cp->mqtt_line != 0) {
			config_error(cp, cp->lineno, "[mqtt] already defined "
			    "at line %d", cp->mqtt_line);
			return;
		}
		cp->mqtt_line = cp->lineno;
		cp->cfg->mqtt.enabled = 1;
		cp->kind = SECT_MQTT;
		return;
	}
	if (kind == SECT_PROMETHEUS) {
		if (cfg->prometheus.line != 0) {
			config_error(cp, cp->lineno, "[prometheus] already "
			    "defined at line %d", cfg->prometheus.line);
			return;
		}
		cfg->prometheus.line = cp->lineno;
		cp->kind = SECT_PROMETHEUS;
		return;
	}
	if (kind == SECT_CONSOLE) {
		if (cp->console_line != 0) {
			config_error(cp, cp->lineno, "[console] already defined "
			    "at line %d", cp->console_line);
			return;
		}
		cp->console_line = cp->lineno;
		cp->kind = SECT_CONSOLE;
		return;
	}
	if (name[0] == ' ') {
		config_error(cp, cp->lineno, "'[%s]': put one space between "
		    "'%s' and the name", inner, kind == SECT_BUS ? "bus" :
		    "meter");
		return;
	}
	if ((reason = config_name_why(name, why, sizeof why)) != NULL) {
		config_error(cp, cp->lineno, "'[%s]': bad %s name '%s': %s",
		    inner, kind == SECT_BUS ? "bus" : "meter", name, reason);
		return;
	}
	if ((i = config_find_named(cfg, kind, name)) != -1) {
		config_error(cp, cp->lineno, "[%s] already defined at line %d",
		    inner, kind == SECT_BUS ? cfg->buses[i].line :
		    cfg->meters[i].line);
		return;
	}
	if (kind == SECT_BUS && cfg->nbuses == CONFIG_MAX_BUSES) {
		config_error(cp, cp->lineno, "[%s]: too many buses (at most %d)",
		    inner, CONFIG_MAX_BUSES);
		return;
	}
	if (kind == SECT_METER && cfg->nmeters == CONFIG_MAX_METERS) {
		config_error(cp, cp->lineno, "[%s]: too many meters (at most %d)",
		    inner, CONFIG_MAX_METERS);
		return;
	}
	if ((copy = strdup(name)) == NULL) {
		config_error(cp, cp->lineno, "out of memory");
		return;
	}
	cp->kind = kind;
	if (kind == SECT_BUS) {
		cp->idx = cfg->nbuses++;
		cfg->buses[cp->idx].name = copy;
		cfg->buses[cp->idx].line = cp->lineno;
	} else {
		cp->idx = cfg->nmeters++;
		cfg->meters[cp->idx].name = copy;
		cfg->meters[cp->idx].line = cp->lineno;
	}
}

/*
 * Read one physical line from the file into cp->raw, draining what does not
 * fit. Returns its length without the line end, or -1 at end of file.
 */
static long
config_raw_line(struct config_parse *cp)
{
	size_t	n;
	long	len = 0;
	int	c;

	if (cp->bytes > CONFIG_MAX_BYTES)
		return -1;
	if (fgets(cp->raw, sizeof cp->raw, cp->fp) == NULL)
		return -1;
	n = strlen(cp->raw);
	len = (long)n;
	if (n > 0 && cp->raw[n - 1] == '\n')
		cp->raw[--n] = '\0', len--;
	else if (n == sizeof cp->raw - 1) {
		/* longer than the buffer: count the rest, keep the start */
		while ((c = getc(cp->fp)) != EOF && c != '\n' &&
		    cp->bytes + len <= CONFIG_MAX_BYTES)
			len++;
	}
	/* bounded: a file that grows while read still ends */
	if ((cp->bytes += len + 1) > CONFIG_MAX_BYTES) {
		config_error(cp, 0, "more than %d bytes: a configuration "
		    "file is smaller", CONFIG_MAX_BYTES);
		return -1;
	}
	if (n > 0 && cp->raw[n - 1] == '\r' && len == (long)n)
		cp->raw[--n] = '\0', len--;
	return len;
}

/*
 * The inih reader: returns one line at a time (fgets contract: str holds at
 * most num - 1 bytes), after our own checks. A line we reject reaches inih
 * as an empty line so the numbering stays right.
 */
static char *
config_read_line(char *str, int num, void *stream)
{
	struct config_parse	*cp = stream;
	char			*s, *end;
	long			 len;

	if ((len = config_raw_line(cp)) == -1)
		return NULL;
	cp->lineno++;
	str[0] = '\n';
	str[1] = '\0';
	if (len > CONFIG_MAX_LINE) {
		config_error(cp, cp->lineno, "line too long (%ld bytes, at "
		    "most %d)", len, CONFIG_MAX_LINE);
		return str;
	}
	s = cp->raw;
	if (cp->lineno == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0' || *s == ';' || *s == '#')
		return str;
	if (*s == '[') {
		if ((end = strchr(s, ']')) == NULL) {
			config_error(cp, cp->lineno, "'%s': a section header "
			    "ends with ']'", s);
			cp->kind = SECT_BAD;
			return str;
		}
		*end = '\0';
		config_section(cp, s + 1);
		snprintf(str, num, "[%s]\n", s + 1);
		return str;
	}
	if (strchr(s, '=') == NULL && strchr(s, ':') == NULL) {
		config_error(cp, cp->lineno, "'%s': expected KEY = VALUE, a "
		    "[section] or a ; comment", s);
		return str;
	}
	snprintf(str, num, "%s\n", s);
	return str;
}

/* Complain about key = value in the current section. */
static int __attribute__((format(printf, 4, 5)))
key_error(struct config_parse *cp, const struct key_def *k,
    const char *value, const char *fmt, ...)
{
	char	why[256];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	config_error(cp, cp->lineno, "%s %s = '%s': %s", cp->label, k->name,
	    value, why);
	return -1;
}

/* Parse a whole decimal number; returns 0 or -1 (complaint recorded). */
static int
key_number(struct config_parse *cp, const struct key_def *k,
    const char *value, long *out)
{
	switch (parse_long(value, INT_MIN, INT_MAX, out)) {
	case PARSE_OK:
		return 0;
	case PARSE_EMPTY:
		return key_error(cp, k, value, "empty value; %s", k->expect);
	case PARSE_RANGE:
		return key_error(cp, k, value, "number too large; %s",
		    k->expect);
	default:
		return key_error(cp, k, value, "not a whole number; %s",
		    k->expect);
	}
}

static int
parse_int(struct config_parse *cp, const struct key_def *k, void *field,
    const char *value)
{
	long	v;

	if (key_number(cp, k, value, &v) == -1)
		return -1;
	if (v < k->min || v > k->max)
		return key_error(cp, k, value, "%s", k->expect);
	*(int *)field = (int)v;
	return 0;
}

static int
parse_address(struct config_parse *cp, const struct key_def *k, void *field,
    const char *value)
{
	long	v;

	if (key_number(cp, k, value, &v) == -1)
		return -1;
	if (v == 0)
		return key_error(cp, k, value, "0 is the Modbus broadcast "
		    "address, which no meter answers; %s", k->expect);
	if (v >= 248 && v <= 255)
		return key_error(cp, k, value, "%s (248..255 are reserved by "
		    "Modbus)", k->expect);
	if (v < k->min || v > k->max)
		return key_error(cp, k, value, "%s", k->expect);
	*(int *)field = (int)v;
	return 0;
}

static int
parse_baud(struct config_parse *cp, const struct key_def *k, void *field,
    const char *value)
{
	long	v;

	if (key_number(cp, k, value, &v) == -1)
		return -1;
	if (v != 4800 && v != 9600 && v != 19200 && v != 38400)
		return key_error(cp, k, value, "%s (the meter's speeds)",
		    k->expect);
	*(int *)field = (int)v;
	return 0;
}

static int
parse_parity(struct config_parse *cp, const struct key_def *k, void *field,
    const char *value)
{
	if (bus_parity_parse(value, (char *)field) == -1)
		return key_error(cp, k, value, "%s", k->expect);
	return 0;
}

/* writes: on/off, and the usual yes/no, true/false, 1/0 spellings. */
static int
parse_bool(struct config_parse *cp, const struct key_def *k, void *field,
    const char *value)
{
	static const char *const yes[] = { "on", "yes", "true", "1" };
	static const char *const no[] = { "off", "no", "false", "0" };
	size_t			 i;

	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcmp(value, yes[i]) == 0) {
			*(int *)field = 1;
			return 0;
		}
		if (strcmp(value, no[i]) == 0) {
			*(int *)field = 0;
			return 0;
		}
	}
	return key_error(cp, k, value, "%s (also yes/no, true/false, 1/0)",
	    k->expect);
}

static int
parse_dialect(struct config_parse *cp, const struct key_def *k, void *field,
    const char *value)
{
	if (csv_dialect_parse(value, (enum csv_dialect *)field) == -1)
		return key_error(cp, k, value, "%s", k->expect);
	return 0;
}

static int
parse_bustype(struct config_parse *cp, const struct key_def *k, void *field,
    const char *value)
{
	if (strcmp(value, "rtu") == 0)
		*(enum bus_type *)field = BUS_RTU;
	else if (strcmp(value, "tcp") == 0)
		*(enum bus_type *)field = BUS_TCP;
	else if (strcmp(value, "rtu-tcp") == 0)
		*(enum bus_type *)field = BUS_RTU_TCP;
	else
		return key_error(cp, k, value, "%s", k->expect);
	return 0;
}

/* A non-empty string, replacing a default. */
static int
parse_str(struct config_parse *cp, const struct key_def *k, void *field,
    const char *value)
{
	char	*copy;

	if (*value == '\0')
		return key_error(cp, k, value, "empty value; %s", k->expect);
	if ((copy = strdup(value)) == NULL)
		return key_error(cp, k, value, "out of memory");
	free(*(char **)field);
	*(char **)field = copy;
	return 0;
}

/*
 * An MQTT topic prefix or client id: levels of name characters separated by
 * single '/', no wildcards, no empty level (a leading or trailing '/').
 */
static int
parse_topic(struct config_parse *cp, const struct key_def *k, void *field,
    const char *value)
{
	const char	*p;

	for (p = value; *p != '\0'; p++) {
		if (isalnum((unsigned char)*p) || *p == '.' || *p == '_' ||
		    *p == '-')
			continue;
		if (*p == '/' && p != value && p[1] != '\0' && p[1] != '/' &&
		    strcmp(k->name, "client_id") != 0)
			continue;
		return key_error(cp, k, value, "'%c' at position %zu is not "
		    "allowed; %s", *p, (size_t)(p - value) + 1, k->expect);
	}
	return parse_str(cp, k, field, value);
}

/* A name: the string rules plus the name character set. */
static int
parse_name(struct config_parse *cp, const struct key_def *k, void *field,
    const char *value)
{
	char		 buf[160];
	const char	*why;

	if (*value != '\0' &&
	    (why = config_name_why(value, buf, sizeof buf)) != NULL)
		return key_error(cp, k, value, "%s", why);
	return parse_str(cp, k, field, value);
}

/* listen = HOST:PORT, checked here so a typo is a file:line error. */
static int
parse_listen(struct config_parse *cp, const struct key_def *k, void *field,
    const char *value)
{
	char		 host[64];
	const char	*why;
	int		 port;

	if (config_listen_parse(value, host, sizeof host, &port, &why) == -1)
		return key_error(cp, k, value, "%s; %s", why, k->expect);
	return parse_str(cp, k, field, value);
}

/* List the keys of a section kind, for "unknown key" messages. */
static void
config_key_list(enum sect_kind kind, char *buf, size_t len)
{
	size_t	n = 0;
	int	i;

	buf[0] = '\0';
	for (i = 0; i < NKEYS && n < len; i++) {
		if (config_keys[i].kind != kind)
			continue;
		n += snprintf(buf + n, len - n, "%s%s", n ? ", " : "",
		    config_keys[i].name);
	}
}

/* The inih handler: one key = value of the current section. */
static int
config_key_cb(void *user, UNUSED const char *section, const char *name,
    const char *value)
{
	struct config_parse	*cp = user;
	const struct key_def	*k = NULL;
	char			 list[200];
	int			*lines, i;
	void			*obj;

	if (cp->kind == SECT_BAD)
		return 1;	/* the header was reported */
	if (cp->kind == SECT_NONE) {
		config_error(cp, cp->lineno, "%s = '%s' before any section: "
		    "keys go under [console], [bus NAME] or [meter NAME]", name,
		    value);
		return 1;
	}
	for (i = 0; i < NKEYS; i++) {
		if (config_keys[i].kind == cp->kind &&
		    strcmp(config_keys[i].name, name) == 0) {
			k = &config_keys[i];
			break;
		}
	}
	if (k == NULL) {
		config_key_list(cp->kind, list, sizeof list);
		config_error(cp, cp->lineno, "%s unknown key '%s': expected "
		    "%s", cp->label, name, list);
		return 1;
	}
	switch (cp->kind) {
	case SECT_CONSOLE:
		obj = cp->cfg;
		lines = cp->console_keys;
		break;
	case SECT_MQTT:
		obj = cp->cfg;
		lines = cp->mqtt_keys;
		break;
	case SECT_BUS:
		obj = &cp->cfg->buses[cp->idx];
		lines = cp->bus_keys[cp->idx];
		break;
	case SECT_PROMETHEUS:
		obj = &cp->cfg->prometheus;
		lines = cp->prom_keys;
		break;
	default:
		obj = &cp->cfg->meters[cp->idx];
		lines = cp->meter_keys[cp->idx];
		break;
	}
	if (lines[i] != 0) {
		config_error(cp, cp->lineno, "%s %s = '%s': %s is already set "
		    "at line %d", cp->label, name, value, name, lines[i]);
		return 1;
	}
	lines[i] = cp->lineno;
	if (k->parse(cp, k, (char *)obj + k->off, value) == -1) {
		if (cp->kind == SECT_BUS)
			cp->bus_bad[cp->idx][i] = 1;
		else if (cp->kind == SECT_METER)
			cp->meter_bad[cp->idx][i] = 1;
	}
	return 1;
}

/* Index of key name in config_keys (it exists: the names are ours). */
static int
config_key_index(enum sect_kind kind, const char *name)
{
	int	i;

	for (i = 0; i < NKEYS; i++)
		if (config_keys[i].kind == kind &&
		    strcmp(config_keys[i].name, name) == 0)
			return i;
	return 0;
}

/* A bus needs a type and the keys of that type, and not the other's. */
static void
config_check_bus(struct config_parse *cp, int b)
{
	struct bus_conf	*bc = &cp->cfg->buses[b];
	int		*lines = cp->bus_keys[b];
	int		 ktype, kdev, khost, kport;

	ktype = config_key_index(SECT_BUS, "type");
	kdev = config_key_index(SECT_BUS, "device");
	khost = config_key_index(SECT_BUS, "host");
	kport = config_key_index(SECT_BUS, "port");
	if (lines[ktype] == 0) {
		config_error(cp, bc->line, "[bus %s] has no type: add type = "
		    "rtu (serial line), type = tcp (Modbus TCP gateway) or "
		    "type = rtu-tcp (RTU frames over TCP)",
		    bc->name);
		return;
	}
	if (cp->bus_bad[b][ktype])
		return;		/* reported; what it needs is unknown */
	if (bc->type == BUS_RTU) {
		if (lines[khost] != 0 || lines[kport] != 0)
			config_error(cp, lines[khost] ? lines[khost] :
			    lines[kport], "[bus %s] %s is for type = tcp or "
			    "rtu-tcp; this bus is type = rtu (line %d)",
			    bc->name, lines[khost] ? "host" : "port",
			    lines[ktype]);
		else if (bc->device == NULL && !cp->bus_bad[b][kdev])
			config_error(cp, bc->line, "[bus %s] type = rtu needs "
			    "device = (the serial port, e.g. /dev/ttyUSB0)",
			    bc->name);
	} else {
		if (lines[kdev] != 0)
			config_error(cp, lines[kdev], "[bus %s] device is for "
			    "type = rtu; this bus is type = %s (line %d)",
			    bc->name, bus_type_name(bc->type), lines[ktype]);
		else if (bc->host == NULL && !cp->bus_bad[b][khost])
			config_error(cp, bc->line, "[bus %s] type = %s needs "
			    "host = (the gateway's name or address)",
			    bc->name, bus_type_name(bc->type));
	}
}

/* A meter needs a known bus and an address unique on that bus. */
static void
config_check_meter(struct config_parse *cp, int m)
{
	struct config		*cfg = cp->cfg;
	struct meter_conf	*mc = &cfg->meters[m], *o;
	int			 kbus, kaddr, j;

	kbus = config_key_index(SECT_METER, "bus");
	kaddr = config_key_index(SECT_METER, "address");
	if (mc->bus_name == NULL) {
		if (!cp->meter_bad[m][kbus])
			config_error(cp, mc->line, "[meter %s] has no bus: add "
			    "bus = NAME of a [bus NAME] section", mc->name);
		return;
	}
	if ((mc->bus = config_find_named(cfg, SECT_BUS, mc->bus_name)) == -1) {
		config_error(cp, cp->meter_keys[m][kbus], "[meter %s] bus = "
		    "'%s': no [bus %s] section in this file", mc->name,
		    mc->bus_name, mc->bus_name);
		return;
	}
	if (cp->meter_keys[m][kaddr] == 0) {
		config_error(cp, mc->line, "[meter %s] has no address: add "
		    "address = 1..247 (the meter's Modbus address)", mc->name);
		return;
	}
	if (cp->meter_bad[m][kaddr])
		return;
	for (j = 0; j < m; j++) {
		o = &cfg->meters[j];
		if (o->bus == mc->bus && o->address == mc->address) {
			config_error(cp, cp->meter_keys[m][kaddr], "[meter %s] "
			    "address = %d: [meter %s] (line %d) already has "
			    "address %d on bus %s", mc->name, mc->address,
			    o->name, cp->meter_keys[j][kaddr], o->address,
			    mc->bus_name);
			return;
		}
	}
	if (mc->label == NULL && (mc->label = strdup(mc->name)) == NULL)
		config_error(cp, mc->line, "out of memory");
}

/*
 * [mqtt] needs a host; ca_file goes with tls = on; a password file needs a
 * user name and must be readable now (not only when the service starts).
 */
static void
config_check_mqtt(struct config_parse *cp)
{
	struct mqtt_conf	*mq = &cp->cfg->mqtt;
	int			*lines = cp->mqtt_keys;
	int			 kca, ktls, kpw;

	kca = config_key_index(SECT_MQTT, "ca_file");
	ktls = config_key_index(SECT_MQTT, "tls");
	kpw = config_key_index(SECT_MQTT, "password_file");
	if (mq->host == NULL)
		config_error(cp, cp->mqtt_line, "[mqtt] has no host: add host "
		    "= (the broker's name or address)");
	else if (lines[kca] != 0 && !mq->tls)
		config_error(cp, lines[kca], "[mqtt] ca_file is for tls = on; "
		    "tls is %s", lines[ktls] ? "off" : "off by default");
	else if (mq->password_file != NULL && mq->username == NULL)
		config_error(cp, lines[kpw], "[mqtt] password_file = '%s' "
		    "needs username =", mq->password_file);
	else if (mq->password_file != NULL &&
	    access(mq->password_file, R_OK) != 0)
		config_error(cp, lines[kpw], "[mqtt] password_file = '%s': %s",
		    mq->password_file, strerror(errno));
	else if (mq->ca_file != NULL && access(mq->ca_file, R_OK) != 0)
		config_error(cp, lines[kca], "[mqtt] ca_file = '%s': %s",
		    mq->ca_file, strerror(errno));
}

/*
 * Rules that span keys and sections, once the whole file is read: every
 * bus and every meter, whatever was reported before, so that one run
 * lists every error of the file.
 */
static int
config_check(struct config_parse *cp)
{
	int	i;

	for (i = 0; i < cp->cfg->nbuses; i++)
		config_check_bus(cp, i);
	for (i = 0; i < cp->cfg->nmeters; i++)
		config_check_meter(cp, i);
	if (cp->cfg->mqtt.enabled)
		config_check_mqtt(cp);
	if (cp->cfg->prometheus.line != 0 &&
	    cp->cfg->prometheus.listen == NULL &&
	    cp->cfg->prometheus.textfile == NULL)
		config_error(cp, cp->cfg->prometheus.line, "[prometheus] needs "
		    "listen = ADDRESS:PORT (HTTP /metrics), textfile = PATH, "
		    "or both");
	if (cp->cfg->nmeters == 0 && cp->meter_headers == 0)
		config_error(cp, 0, "no [meter NAME] section: nothing to poll");
	return cp->nerrors ? -1 : 0;
}

void
config_init(struct config *cfg)
{
	int	i;

	memset(cfg, 0, sizeof *cfg);
	cfg->refresh_ms = 1000;
	cfg->writes = 0;
	cfg->csv_dialect = CSV_RFC4180;
	cfg->mqtt.port = 1883;
	cfg->mqtt.discovery = 1;
	for (i = 0; i < CONFIG_MAX_BUSES; i++) {
		cfg->buses[i].type = BUS_RTU;
		cfg->buses[i].baud = 19200;
		cfg->buses[i].parity = 'N';
		cfg->buses[i].stop_bits = 1;
		cfg->buses[i].timeout_ms = 300;
		cfg->buses[i].port = 502;
	}
	for (i = 0; i < CONFIG_MAX_METERS; i++) {
		cfg->meters[i].bus = -1;
		cfg->meters[i].poll_ms = 1000;
	}
}

void
config_free(struct config *cfg)
{
	int	i;

	free(cfg->path);
	free(cfg->theme);
	free(cfg->export_dir);
	for (i = 0; i < cfg->nbuses; i++) {
		free(cfg->buses[i].name);
		free(cfg->buses[i].device);
		free(cfg->buses[i].host);
	}
	free(cfg->mqtt.host);
	free(cfg->mqtt.client_id);
	free(cfg->mqtt.topic_prefix);
	free(cfg->mqtt.username);
	free(cfg->mqtt.password_file);
	free(cfg->mqtt.ca_file);
	free(cfg->mqtt.discovery_prefix);
	for (i = 0; i < cfg->nmeters; i++) {
		free(cfg->meters[i].name);
		free(cfg->meters[i].bus_name);
		free(cfg->meters[i].label);
	}
	free(cfg->prometheus.listen);
	free(cfg->prometheus.textfile);
	config_init(cfg);
}

/* Fill the string defaults that config_init cannot (they are owned). */
static int
config_defaults(struct config *cfg)
{
	if (cfg->theme == NULL && (cfg->theme = strdup("default")) == NULL)
		return -1;
	if (cfg->export_dir == NULL && (cfg->export_dir = strdup(".")) == NULL)
		return -1;
	if (cfg->mqtt.topic_prefix == NULL &&
	    (cfg->mqtt.topic_prefix = strdup("countis")) == NULL)
		return -1;
	if (cfg->mqtt.discovery_prefix == NULL &&
	    (cfg->mqtt.discovery_prefix = strdup("homeassistant")) == NULL)
		return -1;
	return 0;
}

/* The kind of a file that is not a regular one, for the message. */
static const char *
config_file_kind(mode_t m)
{
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

/*
 * Open path for reading if it is a regular file no larger than
 * CONFIG_MAX_BYTES. O_NONBLOCK: opening a FIFO with no writer returns at
 * once instead of waiting for one. Returns NULL with e set (exit 66, or 78
 * for a file too large to be a configuration).
 */
static FILE *
config_open(const char *path, struct err *e)
{
	struct stat	 st;
	FILE		*fp;
	int		 fd, flags, saved;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		saved = errno;
		err_setc(e, EXIT_NOINPUT, "%s: %s", path, strerror(saved));
		return NULL;
	}
	if (fstat(fd, &st) == -1)
		saved = errno;
	else if (S_ISDIR(st.st_mode))
		saved = EISDIR;
	else if (!S_ISREG(st.st_mode)) {
		close(fd);
		err_setc(e, EXIT_NOINPUT, "%s: %s, not a regular file: give "
		    "the configuration file itself", path,
		    config_file_kind(st.st_mode));
		return NULL;
	} else if (st.st_size > CONFIG_MAX_BYTES) {
		close(fd);
		err_setc(e, EXIT_CONFIG, "%s: %lld bytes: a configuration file "
		    "is at most %d bytes", path, (long long)st.st_size,
		    CONFIG_MAX_BYTES);
		return NULL;
	} else if ((flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == -1)
		saved = errno;
	else if ((fp = fdopen(fd, "r")) == NULL)
		saved = errno;
	else
		return fp;
	close(fd);
	err_setc(e, EXIT_NOINPUT, "%s: %s", path, strerror(saved));
	return NULL;
}

int
config_load(struct config *cfg, const char *path, struct err *e)
{
	return config_load_each(cfg, path, NULL, NULL, e);
}

int
config_load_each(struct config *cfg, const char *path, config_each_fn *each,
    void *arg, struct err *e)
{
	struct config_parse	*cp;
	int			 rc, saved;

	e->code = 0;
	e->msg[0] = '\0';
	if ((cp = calloc(1, sizeof *cp)) == NULL)
		return err_setc(e, EXIT_SOFTWARE, "%s: out of memory", path);
	cp->cfg = cfg;
	cp->path = path;
	cp->e = e;
	cp->each = each;
	cp->each_arg = arg;
	if ((cp->fp = config_open(path, e)) == NULL) {
		free(cp);
		return -1;
	}
	rc = ini_parse_stream(config_read_line, cp, config_key_cb, cp);
	if (ferror(cp->fp)) {
		saved = errno;
		fclose(cp->fp);
		free(cp);
		config_free(cfg);
		return err_setc(e, EXIT_NOINPUT, "%s: %s", path,
		    strerror(saved));
	}
	fclose(cp->fp);
	if (rc > 0 && cp->nerrors == 0)
		config_error(cp, rc, "syntax error");
	if (rc < 0 && cp->nerrors == 0)
		config_error(cp, 0, "out of memory while parsing");
	if (rc >= 0)
		config_check(cp);
	if (cp->nerrors == 0 && ((cfg->path = strdup(path)) == NULL ||
	    config_defaults(cfg) == -1))
		config_error(cp, 0, "out of memory");
	if (cp->omitted > 0) {
		size_t n = strlen(e->msg);
		snprintf(e->msg + n, sizeof e->msg - n, "\n(%d more error%s "
		    "not shown; --check-config lists them all)", cp->omitted,
		    cp->omitted > 1 ? "s" : "");
	}
	rc = cp->nerrors ? -1 : 0;
	free(cp);
	if (rc == -1)
		config_free(cfg);
	return rc;
}

/* Append one candidate to the "looked at" list; returns 1 if it exists. */
static int
config_try(const char *cand, char *buf, size_t len, char *seen,
    size_t seenlen)
{
	size_t	n = strlen(seen);

	snprintf(seen + n, seenlen - n, "%s%s", n ? ", " : "", cand);
	if (access(cand, F_OK) != 0)
		return 0;
	snprintf(buf, len, "%s", cand);
	return 1;
}

int
config_find(const char *explicit_path, char *buf, size_t len, struct err *e)
{
	char		 cand[PATH_MAX], seen[400] = "";
	const char	*env, *home;

	if (explicit_path != NULL) {
		snprintf(buf, len, "%s", explicit_path);
		return 0;
	}
	/* an explicit environment setting is used even if missing: say so */
	if ((env = getenv("COUNTIS_TUI_CONFIG")) != NULL && *env != '\0') {
		snprintf(buf, len, "%s", env);
		return 0;
	}
	if (config_try("./countis-tui.ini", buf, len, seen, sizeof seen))
		return 0;
	env = getenv("XDG_CONFIG_HOME");
	home = getenv("HOME");
	cand[0] = '\0';
	if (env != NULL && env[0] == '/')
		snprintf(cand, sizeof cand, "%s/countis-tui/countis-tui.ini",
		    env);
	else if (home != NULL && *home != '\0')
		snprintf(cand, sizeof cand,
		    "%s/.config/countis-tui/countis-tui.ini", home);
	if (cand[0] != '\0' && config_try(cand, buf, len, seen, sizeof seen))
		return 0;
	if (config_try(SYSCONFDIR "/countis-tui.ini", buf, len, seen,
	    sizeof seen))
		return 0;
	if (strcmp(SYSCONFDIR, "/etc") != 0 &&
	    config_try("/etc/countis-tui.ini", buf, len, seen, sizeof seen))
		return 0;
	return err_setc(e, EXIT_NOINPUT, "no configuration file (looked at "
	    "$COUNTIS_TUI_CONFIG, %s); use -c FILE, or --demo to try without "
	    "one", seen);
}

int
config_listen_parse(const char *s, char *host, size_t hostlen, int *port,
    const char **why)
{
	const char		*colon, *h = s;
	size_t			 n;
	long			 p;
	struct in6_addr		 a6;
	struct in_addr		 a4;

	if (s[0] == '[') {
		if ((colon = strstr(s, "]:")) == NULL) {
			*why = "an IPv6 address is written [ADDRESS]:PORT";
			return -1;
		}
		h = s + 1;
		n = (size_t)(colon - h);
		colon++;
	} else {
		if ((colon = strrchr(s, ':')) == NULL) {
			*why = "no :PORT";
			return -1;
		}
		n = (size_t)(colon - s);
	}
	if (n == 0 || n >= hostlen) {
		*why = "no address before the port";
		return -1;
	}
	memcpy(host, h, n);
	host[n] = '\0';
	if (s[0] == '[' ? inet_pton(AF_INET6, host, &a6) != 1 :
	    inet_pton(AF_INET, host, &a4) != 1) {
		*why = "not a numeric IPv4 or [IPv6] address";
		return -1;
	}
	if (parse_long(colon + 1, 1, 65535, &p) != PARSE_OK) {
		*why = "port is not 1..65535";
		return -1;
	}
	*port = (int)p;
	return 0;
}

