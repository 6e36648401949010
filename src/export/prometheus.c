/*
 * prometheus.c: the Prometheus exporter (prometheus.h).
 *
 * The exposition text is built on the loop thread, where the engine writes
 * the model, at every poll round (consumer_ops.round) and, when rounds stop
 * because a meter was given up, by a watchdog timer; it is written to the
 * textfile (temp file + rename) and published to the HTTP thread. The HTTP
 * server is libmicrohttpd with its own polling thread, a connection limit
 * and a timeout, so a slow or hostile client never touches the loop. The
 * two threads share only the published texts: each is reference counted
 * under one mutex; the loop builds into a text no one holds, then swaps it
 * in; a scrape takes a reference to the current one and MHD drops it when
 * the response is sent. Nothing is allocated per scrape once the pool of
 * texts has grown to the number of concurrent scrapes. A configuration
 * reload that keeps the listen address keeps the server and its socket
 * (prom_rebind): scrapes go on being answered through it.
 *
 * Names follow Prometheus' conventions: base units, counters end in _total,
 * energies in joules from the 10 Wh registers (exact: 10 Wh = 36000 J),
 * labels meter/bus/address/phase/tariff, and totals under their own metric
 * names (never a label value meaning "total"). A meter whose values are not
 * fresh (meter_fresh) shows only up, info and its last success time.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <ev.h>

#include "atomic-file.h"
#include "clock.h"
#include "conf.h"
#include "engine.h"
#include "log.h"
#include "meter.h"
#include "mhd-api.h"
#include "prometheus.h"
#include "regdecode.h"
#include "regmap.h"

#define PROM_TEXTS_MAX		24	/* > connection limit + current + next */
#define PROM_CONN_LIMIT		16
#define PROM_CONN_TIMEOUT_S	10
#define PROM_J_PER_10WH		36000	/* 10 Wh = 10 * 3600 J, exact */

/*
 * A family of value series read from registers. mul 0: the register's
 * fixed-point value in its own unit (V, A, Hz, W, var, VA, PF); otherwise
 * raw * mul exactly (energies to joules).
 */
struct prom_family {
	const char	*name;
	const char	*type;		/* "gauge" or "counter" */
	const char	*help;
	const char	*label;		/* "phase", "tariff", or NULL */
	int64_t		 mul;
	struct {
		enum reg_id	 id;
		const char	*value;	/* of label */
	}		 s[4];
	int		 n;
};

static const struct prom_family prom_families[] = {
	{ "countis_voltage_volts", "gauge", "Phase-to-neutral voltage.",
	  "phase", 0, { { REG_V1, "L1" }, { REG_V2, "L2" }, { REG_V3, "L3" } },
	  3 },
	{ "countis_line_voltage_volts", "gauge", "Phase-to-phase voltage.",
	  "phase", 0, { { REG_U12, "L1-L2" }, { REG_U23, "L2-L3" },
	  { REG_U31, "L3-L1" } }, 3 },
	{ "countis_current_amperes", "gauge", "Current per phase and in the "
	  "neutral.", "phase", 0, { { REG_I1, "L1" }, { REG_I2, "L2" },
	  { REG_I3, "L3" }, { REG_IN, "N" } }, 4 },
	{ "countis_frequency_hertz", "gauge", "Network frequency.", NULL, 0,
	  { { REG_F, NULL } }, 1 },
	{ "countis_active_power_watts", "gauge", "Active power, sum of the "
	  "phases (negative when exporting).", NULL, 0, { { REG_P, NULL } }, 1 },
	{ "countis_phase_active_power_watts", "gauge", "Active power per phase.",
	  "phase", 0, { { REG_P1, "L1" }, { REG_P2, "L2" }, { REG_P3, "L3" } },
	  3 },
	{ "countis_reactive_power_volt_amperes_reactive", "gauge", "Reactive "
	  "power, sum of the phases.", NULL, 0, { { REG_Q, NULL } }, 1 },
	{ "countis_phase_reactive_power_volt_amperes_reactive", "gauge",
	  "Reactive power per phase.", "phase", 0, { { REG_Q1, "L1" },
	  { REG_Q2, "L2" }, { REG_Q3, "L3" } }, 3 },
	{ "countis_apparent_power_volt_amperes", "gauge", "Apparent power, sum "
	  "of the phases.", NULL, 0, { { REG_S, NULL } }, 1 },
	{ "countis_phase_apparent_power_volt_amperes", "gauge", "Apparent "
	  "power per phase.", "phase", 0, { { REG_S1, "L1" }, { REG_S2, "L2" },
	  { REG_S3, "L3" } }, 3 },
	{ "countis_power_factor", "gauge", "Power factor of the three phases.",
	  NULL, 0, { { REG_PF, NULL } }, 1 },
	{ "countis_phase_power_factor", "gauge", "Power factor per phase.",
	  "phase", 0, { { REG_PF1, "L1" }, { REG_PF2, "L2" },
	  { REG_PF3, "L3" } }, 3 },
	{ "countis_energy_active_import_joules_total", "counter", "Imported "
	  "active energy, all tariffs (10 Wh register).", NULL,
	  PROM_J_PER_10WH, { { REG_EA_PLUS_TOTAL_10WH, NULL } }, 1 },
	{ "countis_energy_active_export_joules_total", "counter", "Exported "
	  "active energy (10 Wh register).", NULL, PROM_J_PER_10WH,
	  { { REG_EA_MINUS_TOTAL_10WH, NULL } }, 1 },
	{ "countis_energy_reactive_import_volt_amperes_reactive_seconds_total",
	  "counter", "Imported reactive energy (10 varh register).", NULL,
	  PROM_J_PER_10WH, { { REG_ER_PLUS_TOTAL_10VARH, NULL } }, 1 },
	{ "countis_energy_active_import_tariff_joules_total", "counter",
	  "Imported active energy per tariff (10 Wh registers).", "tariff",
	  PROM_J_PER_10WH, { { REG_EA_PLUS_T1_10WH, "1" },
	  { REG_EA_PLUS_T2_10WH, "2" }, { REG_EA_PLUS_T3_10WH, "3" },
	  { REG_EA_PLUS_T4_10WH, "4" } }, 4 },
	{ "countis_tariff_active", "gauge", "The tariff counting now (1 to 4).",
	  NULL, 0, { { REG_TARIFF_ACTIVE_B, NULL } }, 1 },
};
#define PROM_NFAMILIES	(sizeof prom_families / sizeof prom_families[0])

/* Error reasons of the link statistics, one label value each. */
enum prom_reason { PR_TIMEOUT, PR_CRC, PR_IO, PR_EXCEPTION, PR__COUNT };
static const char *const prom_reason_names[PR__COUNT] = {
	"timeout", "crc", "io", "exception"
};

/* One published exposition; refs counts its holders (see the top). */
struct prom_text {
	struct prom_buf	 b;
	int		 refs;
	struct prom	*p;
};

struct prom {
	struct ev_loop		*loop;
	struct engine		*eng;
	int			 nmeters;
	int64_t			*last_ok_wall_ms;	/* per meter */
	ev_timer		 watchdog;
	int			 rounds;	/* since the last watchdog tick */
	char			*textfile;
	int			 textfile_failing;
	char			*listen;	/* the HTTP server's, or NULL */
	struct MHD_Daemon	*mhd;
	pthread_mutex_t		 lock;		/* refs, cur */
	struct prom_text	*texts[PROM_TEXTS_MAX];
	int			 ntexts;
	struct prom_text	*cur;		/* what a scrape gets */
};

static void
pb_free_labels(struct prom_buf *b)
{
	int	i;

	for (i = 0; i < b->nlabels; i++)
		free(b->labels[i]);
	free(b->labels);
	b->labels = NULL;
	b->nlabels = 0;
	b->labels_of = NULL;
}

/* Make room for n more bytes (and a NUL); 0 or -1. */
static int
pb_room(struct prom_buf *b, size_t n)
{
	size_t	cap;
	char	*s;

	if (b->failed)
		return -1;
	if (b->len + n + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 65536;
	while (cap < b->len + n + 1)
		cap *= 2;
	if ((s = realloc(b->s, cap)) == NULL) {
		b->failed = 1;
		return -1;
	}
	b->s = s;
	b->cap = cap;
	return 0;
}

static void
pb_put(struct prom_buf *b, const char *s, size_t n)
{
	if (pb_room(b, n) == -1)
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
pb_str(struct prom_buf *b, const char *s)
{
	pb_put(b, s, strlen(s));
}

static void __attribute__((format(printf, 2, 3)))
pb_fmt(struct prom_buf *b, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (pb_room(b, 256) == -1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		if (pb_room(b, (size_t)n) == -1)
			return;
		va_start(ap, fmt);
		vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

/* A label value, escaped per the exposition format (\\, \", \n). */
static void
pb_label_value(struct prom_buf *b, const char *s)
{
	size_t	n;

	while (*s != '\0') {
		n = strcspn(s, "\\\"\n");	/* the common case: all of it */
		pb_put(b, s, n);
		s += n;
		if (*s == '\0')
			break;
		pb_put(b, *s == '\n' ? "\\n" : *s == '"' ? "\\\"" : "\\\\",
		    2);
		s++;
	}
}

/* An integer, without printf. */
static void
pb_int(struct prom_buf *b, int64_t v)
{
	char		 d[24];
	int		 n = 0;
	uint64_t	 mag = v < 0 ? -(uint64_t)v : (uint64_t)v;

	do {
		d[sizeof d - 1 - n++] = (char)('0' + mag % 10);
		mag /= 10;
	} while (mag != 0);
	if (v < 0)
		d[sizeof d - 1 - n++] = '-';
	pb_put(b, d + sizeof d - n, (size_t)n);
}

/* "# HELP" and "# TYPE" of a family. */
static void
pb_head(struct prom_buf *b, const char *name, const char *type,
    const char *help)
{
	pb_fmt(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* name{meter="m",bus="b",address="a" then the caller adds more and "} ". */
static void
pb_meter_labels(struct prom_buf *b, const char *name, const struct meter *m)
{
	pb_str(b, name);
	pb_put(b, "{", 1);
	pb_str(b, b->labels[m->index]);
}

/* The label set of every meter, escaped once per engine (names are fixed). */
static int
pb_make_labels(struct prom_buf *b, const struct engine *eng)
{
	const struct config	*cfg = engine_config(eng);
	const struct meter_conf	*mc;
	struct prom_buf		 one = { NULL, 0, 0, 0, NULL, NULL, 0 };
	int			 i, n = engine_nmeters(eng);

	if (b->labels_of == eng && b->nlabels == n)
		return 0;
	pb_free_labels(b);
	if ((b->labels = calloc(n > 0 ? (size_t)n : 1, sizeof *b->labels)) ==
	    NULL)
		return -1;
	b->nlabels = n;
	for (i = 0; i < n; i++) {
		mc = engine_meter(eng, i)->conf;
		one.len = 0;
		pb_str(&one, "meter=\"");
		pb_label_value(&one, mc->name);
		pb_str(&one, "\",bus=\"");
		pb_label_value(&one, cfg->buses[mc->bus].name);
		pb_str(&one, "\",address=\"");
		pb_int(&one, mc->address);
		pb_str(&one, "\"");
		if (one.failed || (b->labels[i] = strdup(one.s)) == NULL) {
			free(one.s);
			return -1;
		}
	}
	free(one.s);
	b->labels_of = eng;
	return 0;
}

/* Seconds from milliseconds, exact ("1.234"). */
static void
pb_ms_as_s(struct prom_buf *b, int64_t ms)
{
	char	num[40];

	if (fmt_fixed(num, sizeof num, ms, -3, '.') > 0)
		pb_str(b, num);
}


/* One value family over every fresh meter. */
static void
prom_format_family(struct prom_buf *b, const struct prom_family *f,
    const struct engine *eng, const unsigned char *fresh)
{
	const struct meter	*m;
	const struct reg_sample	*s;
	const struct reg_def	*d;
	char			 num[48];
	int			 i, k;

	pb_head(b, f->name, f->type, f->help);
	for (i = 0; i < engine_nmeters(eng); i++) {
		if (!fresh[i])
			continue;
		m = engine_meter(eng, i);
		for (k = 0; k < f->n; k++) {
			s = meter_get(m, f->s[k].id);
			if (s == NULL || s->t_ms == 0 || !s->v.valid)
				continue;
			pb_meter_labels(b, f->name, m);
			if (f->label != NULL) {
				pb_str(b, ",");
				pb_str(b, f->label);
				pb_str(b, "=\"");
				pb_str(b, f->s[k].value);
				pb_str(b, "\"");
			}
			pb_str(b, "} ");
			if (f->mul != 0)
				pb_int(b, s->v.raw * f->mul);
			else {
				d = regmap_get(f->s[k].id);
				if (fmt_fixed(num, sizeof num, s->v.raw,
				    d->has_scale ? d->scale_exp : 0, '.') < 0)
					snprintf(num, sizeof num, "NaN");
				pb_str(b, num);
			}
			pb_str(b, "\n");
		}
	}
}

/* up, info and the last success time: always there for every meter. */
static void
prom_format_meters(struct prom_buf *b, const struct engine *eng,
    const unsigned char *fresh, const int64_t *last_ok_wall_ms)
{
	const struct meter	*m;
	char			 fw[16];
	int			 i, n = engine_nmeters(eng);

	pb_head(b, "countis_meter_up", "gauge", "1 when the meter's last poll "
	    "cycle was ok and is recent, else 0 (its values are then left out).");
	for (i = 0; i < n; i++) {
		m = engine_meter(eng, i);
		pb_str(b, "countis_meter_up{meter=\"");
		pb_label_value(b, m->conf->name);
		pb_str(b, fresh[i] ? "\"} 1\n" : "\"} 0\n");
	}
	pb_head(b, "countis_meter_info", "gauge", "The meter's identity, as "
	    "read at identification (value 1).");
	for (i = 0; i < n; i++) {
		m = engine_meter(eng, i);
		pb_meter_labels(b, "countis_meter_info", m);
		pb_str(b, ",model=\"");
		pb_label_value(b, m->ident.done ? m->ident.ext_name : "");
		pb_str(b, "\",serial=\"");
		pb_label_value(b, m->ident.done ? m->ident.serial : "");
		fw[0] = '\0';
		if (m->ident.done && m->ident.sw_version > 0)
			fmt_fixed(fw, sizeof fw, m->ident.sw_version, -2, '.');
		pb_str(b, "\",firmware=\"");
		pb_label_value(b, fw);
		pb_str(b, "\"} 1\n");
	}
	pb_head(b, "countis_meter_last_success_timestamp_seconds", "gauge",
	    "When the meter's last good poll cycle started (Unix time).");
	for (i = 0; i < n; i++) {
		if (last_ok_wall_ms == NULL || last_ok_wall_ms[i] <= 0)
			continue;
		pb_str(b, "countis_meter_last_success_timestamp_seconds{meter=\"");
		pb_label_value(b, engine_meter(eng, i)->conf->name);
		pb_str(b, "\"} ");
		pb_ms_as_s(b, last_ok_wall_ms[i]);
		pb_str(b, "\n");
	}
}

/* The error counters of one link, by reason. */
static uint64_t
prom_reason_count(const struct link_stats *st, enum prom_reason r)
{
	switch (r) {
	case PR_TIMEOUT:
		return st->timeouts;
	case PR_CRC:
		return st->crc_errors;
	case PR_IO:
		return st->io_errors;
	default:
		return stats_exceptions_total(st);
	}
}

/* Per-meter link statistics. */
static void
prom_format_meter_stats(struct prom_buf *b, const struct engine *eng)
{
	const struct meter	*m;
	int			 i, r, n = engine_nmeters(eng);

	pb_head(b, "countis_meter_requests_total", "counter", "Modbus requests "
	    "sent to the meter.");
	for (i = 0; i < n; i++) {
		m = engine_meter(eng, i);
		pb_meter_labels(b, "countis_meter_requests_total", m);
		pb_str(b, "} ");
		pb_int(b, (int64_t)m->stats.requests);
		pb_str(b, "\n");
	}
	pb_head(b, "countis_meter_errors_total", "counter", "Failed requests to "
	    "the meter, by reason.");
	for (i = 0; i < n; i++) {
		m = engine_meter(eng, i);
		for (r = 0; r < PR__COUNT; r++) {
			pb_meter_labels(b, "countis_meter_errors_total", m);
			pb_str(b, ",reason=\"");
			pb_str(b, prom_reason_names[r]);
			pb_str(b, "\"} ");
			pb_int(b, (int64_t)prom_reason_count(&m->stats, r));
			pb_str(b, "\n");
		}
	}
	pb_head(b, "countis_meter_cycles_total", "counter", "Completed poll "
	    "cycles of the meter, any outcome.");
	for (i = 0; i < n; i++) {
		m = engine_meter(eng, i);
		pb_meter_labels(b, "countis_meter_cycles_total", m);
		pb_str(b, "} ");
		pb_int(b, (int64_t)m->cycles);
		pb_str(b, "\n");
	}
	pb_head(b, "countis_meter_response_seconds", "gauge", "Slowest answer "
	    "of the meter's last poll cycle.");
	for (i = 0; i < n; i++) {
		m = engine_meter(eng, i);
		pb_meter_labels(b, "countis_meter_response_seconds", m);
		pb_str(b, "} ");
		pb_ms_as_s(b, m->last_response_ms);
		pb_str(b, "\n");
	}
}

/* Per-bus statistics: the Bus screen's figures. */
static void
prom_format_buses(struct prom_buf *b, const struct engine *eng,
    int64_t now_ms)
{
	const struct bus_view	*bv;
	char			 num[40];
	int			 i, r, n = engine_nbuses(eng);

#define BUS_SERIES(metric, i) do {					\
		pb_str(b, metric "{bus=\"");				\
		pb_label_value(b, engine_bus(eng, i)->conf->name);	\
		pb_str(b, "\"");					\
	} while (0)
	pb_head(b, "countis_bus_connected", "gauge", "1 when the bus's device "
	    "is open or its TCP connection is up.");
	for (i = 0; i < n; i++) {
		BUS_SERIES("countis_bus_connected", i);
		pb_str(b, engine_bus(eng, i)->connected ? "} 1\n" : "} 0\n");
	}
	pb_head(b, "countis_bus_requests_total", "counter", "Modbus requests "
	    "sent on the bus.");
	for (i = 0; i < n; i++) {
		BUS_SERIES("countis_bus_requests_total", i);
		pb_str(b, "} ");
		pb_int(b, (int64_t)engine_bus(eng, i)->stats.requests);
		pb_str(b, "\n");
	}
	pb_head(b, "countis_bus_errors_total", "counter", "Failed requests on "
	    "the bus, by reason.");
	for (i = 0; i < n; i++)
		for (r = 0; r < PR__COUNT; r++) {
			BUS_SERIES("countis_bus_errors_total", i);
			pb_str(b, ",reason=\"");
			pb_str(b, prom_reason_names[r]);
			pb_str(b, "\"} ");
			pb_int(b, (int64_t)prom_reason_count(
			    &engine_bus(eng, i)->stats, r));
			pb_str(b, "\n");
		}
	pb_head(b, "countis_bus_utilisation_ratio", "gauge", "Share of time "
	    "the line was busy with requests since the start (0 to 1).");
	for (i = 0; i < n; i++) {
		bv = engine_bus(eng, i);
		BUS_SERIES("countis_bus_utilisation_ratio", i);
		fmt_fixed(num, sizeof num,
		    stats_util_permille(&bv->stats, now_ms), -3, '.');
		pb_fmt(b, "} %s\n", num);
	}
	pb_head(b, "countis_bus_latency_median_seconds", "gauge", "Median "
	    "answer latency over the last requests.");
	for (i = 0; i < n; i++) {
		BUS_SERIES("countis_bus_latency_median_seconds", i);
		fmt_fixed(num, sizeof num,
		    stats_lat_p50_us(&engine_bus(eng, i)->stats), -6, '.');
		pb_fmt(b, "} %s\n", num);
	}
	pb_head(b, "countis_bus_latency_p99_seconds", "gauge", "99th percentile "
	    "of the answer latency over the last requests.");
	for (i = 0; i < n; i++) {
		BUS_SERIES("countis_bus_latency_p99_seconds", i);
		fmt_fixed(num, sizeof num,
		    stats_lat_p99_us(&engine_bus(eng, i)->stats), -6, '.');
		pb_fmt(b, "} %s\n", num);
	}
	pb_head(b, "countis_bus_round_seconds", "gauge", "Measured time of one "
	    "poll round of every meter on the bus.");
	for (i = 0; i < n; i++) {
		BUS_SERIES("countis_bus_round_seconds", i);
		fmt_fixed(num, sizeof num, engine_bus(eng, i)->round_us, -6,
		    '.');
		pb_fmt(b, "} %s\n", num);
	}
#undef BUS_SERIES
}

int
prom_format(struct prom_buf *b, const struct engine *eng,
    const int64_t *last_ok_wall_ms, int64_t now_ms)
{
	unsigned char	*fresh;
	size_t		 f;
	int		 i, n = engine_nmeters(eng);

	b->len = 0;
	b->failed = 0;
	if (pb_room(b, 0) == -1 || pb_make_labels(b, eng) == -1)
		return -1;
	b->s[0] = '\0';
	if ((fresh = calloc(n > 0 ? (size_t)n : 1, 1)) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		fresh[i] = (unsigned char)engine_meter_fresh(eng, i, now_ms);
	prom_format_meters(b, eng, fresh, last_ok_wall_ms);
	for (f = 0; f < PROM_NFAMILIES; f++)
		prom_format_family(b, &prom_families[f], eng, fresh);
	prom_format_meter_stats(b, eng);
	prom_format_buses(b, eng, now_ms);
	free(fresh);
	return b->failed ? -1 : 0;
}

void
prom_buf_release(struct prom_buf *b)
{
	pb_free_labels(b);
	free(b->s);
	memset(b, 0, sizeof *b);
}

/* Write the text to the textfile: a temp file beside it, then rename. */
static int
prom_write_textfile(struct prom *p, const struct prom_buf *b)
{
	if (atomic_write(p->textfile, 0644, b->s, b->len) == -1)
		goto fail;
	if (p->textfile_failing)
		log_msg(LL_INFO, "prometheus: writing %s again", p->textfile);
	p->textfile_failing = 0;
	return 0;
fail:
	if (!p->textfile_failing)	/* once, not every round */
		log_msg(LL_WARN, "prometheus: textfile %s: %s", p->textfile,
		    strerror(errno));
	p->textfile_failing = 1;
	return -1;
}

/* A text no scrape holds, to build into; NULL when all are in use. */
static struct prom_text *
prom_free_text(struct prom *p)
{
	struct prom_text	*t = NULL;
	int			 i;

	pthread_mutex_lock(&p->lock);
	for (i = 0; i < p->ntexts; i++)
		if (p->texts[i]->refs == 0 && p->texts[i] != p->cur) {
			t = p->texts[i];
			break;
		}
	pthread_mutex_unlock(&p->lock);
	if (t != NULL || p->ntexts == PROM_TEXTS_MAX)
		return t;
	if ((t = calloc(1, sizeof *t)) == NULL)
		return NULL;
	t->p = p;
	p->texts[p->ntexts++] = t;	/* only the loop thread adds */
	return t;
}

/* Build the exposition now, write the textfile, publish it. */
static void
prom_build(struct prom *p)
{
	struct prom_text	*t, *old;

	if ((t = prom_free_text(p)) == NULL) {
		log_msg(LL_WARN, "prometheus: every buffer is being served; "
		    "keeping the previous text");
		return;
	}
	if (prom_format(&t->b, p->eng, p->last_ok_wall_ms,
	    clock_mono_ms()) == -1) {
		log_msg(LL_ERR, "prometheus: out of memory");
		return;
	}
	if (p->textfile != NULL)
		prom_write_textfile(p, &t->b);
	if (p->mhd == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	old = p->cur;
	t->refs = 1;		/* the publication's own reference */
	p->cur = t;
	if (old != NULL)
		old->refs--;
	pthread_mutex_unlock(&p->lock);
}

/* consumer_ops.cycle: note when each meter last succeeded. */
static void
prom_cycle(void *state, const struct meter *m)
{
	struct prom	*p = state;

	if (m->index >= 0 && m->index < p->nmeters && m->status == MS_OK)
		p->last_ok_wall_ms[m->index] = m->last_cycle_wall_ms;
}

/* consumer_ops.round: every meter cycled once. */
static void
prom_round(void *state)
{
	struct prom	*p = state;

	p->rounds++;
	prom_build(p);
}

/*
 * Rounds stop while a meter is given up (the engine only probes it) and a
 * value goes stale without a cycle: rebuild when no round came in a period.
 */
static void
prom_watchdog_cb(UNUSED struct ev_loop *loop, ev_timer *w,
    UNUSED int revents)
{
	struct prom	*p = container_of(w, struct prom, watchdog);

	if (p->rounds == 0)
		prom_build(p);
	p->rounds = 0;
}

/* MHD is done with a response: drop its reference. */
static void
prom_http_release(void *cls)
{
	struct prom_text	*t = cls;
	struct prom		*p = t->p;

	pthread_mutex_lock(&p->lock);
	t->refs--;
	pthread_mutex_unlock(&p->lock);
}

static const char prom_index_html[] =
    "<!DOCTYPE html>\n<html><head><title>countis-tui exporter</title></head>\n"
    "<body><h1>countis-tui exporter</h1>\n"
    "<p><a href=\"/metrics\">Metrics</a></p></body></html>\n";

/* Queue a fixed response (status, type, body from static storage). */
static enum MHD_Result
prom_http_fixed(struct MHD_Connection *c, unsigned status, const char *type,
    const char *body)
{
	struct MHD_Response	*r;
	enum MHD_Result		 rc;

	r = MHD_create_response_from_buffer(strlen(body), (void *)(uintptr_t)body,
	    MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

/* GET /metrics: the current text, held by a reference until sent. */
static enum MHD_Result
prom_http_metrics(struct prom *p, struct MHD_Connection *c)
{
	struct MHD_Response	*r;
	struct prom_text	*t;
	enum MHD_Result		 rc;

	pthread_mutex_lock(&p->lock);
	if ((t = p->cur) != NULL)
		t->refs++;
	pthread_mutex_unlock(&p->lock);
	if (t == NULL)
		return prom_http_fixed(c, MHD_HTTP_SERVICE_UNAVAILABLE,
		    "text/plain", "no data yet\n");
	r = MHD_create_response_from_buffer_with_free_callback_cls(t->b.len,
	    t->b.s, prom_http_release, t);
	if (r == NULL) {
		prom_http_release(t);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/plain; version=0.0.4; charset=utf-8");
	rc = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return rc;
}

/* The request handler, on MHD's thread: only reads published texts. */
static enum MHD_Result
prom_http_cb(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, UNUSED const char *version,
    UNUSED const char *upload_data, UNUSED size_t *upload_data_size,
    UNUSED void **con_cls)
{
	struct prom	*p = cls;

	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return prom_http_fixed(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "text/plain", "method not allowed: use GET\n");
	if (strcmp(url, "/metrics") == 0)
		return prom_http_metrics(p, c);
	if (strcmp(url, "/") == 0)
		return prom_http_fixed(c, MHD_HTTP_OK,
		    "text/html; charset=utf-8", prom_index_html);
	return prom_http_fixed(c, MHD_HTTP_NOT_FOUND, "text/plain",
	    "not found: the metrics are at /metrics\n");
}

/* Start the HTTP server on the configured address only. */
static int
prom_http_start(struct prom *p, const char *listen, struct err *e)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)&ss;
	const char		*why;
	char			 host[64];
	unsigned		 flags = MHD_USE_INTERNAL_POLLING_THREAD |
				    MHD_USE_POLL;
	int			 port;

	if (config_listen_parse(listen, host, sizeof host, &port, &why) == -1)
		return err_setc(e, EXIT_CONFIG, "[prometheus] listen = '%s': "
		    "%s", listen, why);
	memset(&ss, 0, sizeof ss);
	if (listen[0] == '[') {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		inet_pton(AF_INET6, host, &s6->sin6_addr);
		flags |= MHD_USE_IPv6;
	} else {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		inet_pton(AF_INET, host, &s4->sin_addr);
	}
	errno = 0;
	p->mhd = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL,
	    prom_http_cb, p,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)PROM_CONN_LIMIT,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)PROM_CONN_TIMEOUT_S,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
	    MHD_OPTION_END);
	if (p->mhd == NULL)
		return err_setc(e, EXIT_UNAVAILABLE, "[prometheus] listen = "
		    "'%s': cannot serve HTTP there%s%s", listen,
		    errno ? ": " : "", errno ? strerror(errno) : "");
	return 0;
}

static void
prom_close(void *state)
{
	struct prom	*p = state;
	int		 i;

	if (p == NULL)
		return;
	if (p->mhd != NULL)
		MHD_stop_daemon(p->mhd);	/* joins its thread */
	ev_timer_stop(p->loop, &p->watchdog);
	for (i = 0; i < p->ntexts; i++) {
		prom_buf_release(&p->texts[i]->b);
		free(p->texts[i]);
	}
	pthread_mutex_destroy(&p->lock);
	free(p->last_ok_wall_ms);
	free(p->textfile);
	free(p->listen);
	free(p);
}

/* Smallest poll period of the meters, in seconds (the watchdog's). */
static double
prom_min_period_s(const struct config *cfg)
{
	int	i, ms = 1000;

	for (i = 0; i < cfg->nmeters; i++)
		if (i == 0 || cfg->meters[i].poll_ms < ms)
			ms = cfg->meters[i].poll_ms;
	return ms / 1000.0;
}

static int
prom_open(void **state, struct ev_loop *loop, struct engine *eng,
    const struct config *cfg, struct err *e)
{
	const struct prom_conf	*pc = &cfg->prometheus;
	struct prom		*p;
	double			 period;

	*state = NULL;
	if (pc->line == 0)
		return 0;
	if ((p = calloc(1, sizeof *p)) == NULL)
		return err_setc(e, EXIT_SOFTWARE, "prometheus: %s",
		    strerror(ENOMEM));
	pthread_mutex_init(&p->lock, NULL);
	p->loop = loop;
	p->eng = eng;
	p->nmeters = cfg->nmeters;
	p->last_ok_wall_ms = calloc(cfg->nmeters > 0 ? (size_t)cfg->nmeters :
	    1, sizeof *p->last_ok_wall_ms);
	if (p->last_ok_wall_ms == NULL)
		goto nomem;
	if (pc->textfile != NULL) {
		if ((p->textfile = strdup(pc->textfile)) == NULL)
			goto nomem;
	}
	if (pc->listen != NULL && (p->listen = strdup(pc->listen)) == NULL)
		goto nomem;
	if (pc->listen != NULL && (mhd_api_load(e) == -1 ||
	    prom_http_start(p, pc->listen, e) == -1))
		goto fail;
	period = prom_min_period_s(cfg);
	ev_timer_init(&p->watchdog, prom_watchdog_cb, period, period);
	ev_timer_start(loop, &p->watchdog);
	prom_build(p);		/* up 0 for every meter until the first round */
	if (pc->listen != NULL)
		log_msg(LL_INFO, "prometheus: serving http://%s/metrics",
		    pc->listen);
	if (p->textfile != NULL)
		log_msg(LL_INFO, "prometheus: writing %s at each poll round",
		    p->textfile);
	*state = p;
	return 0;
nomem:
	err_setc(e, EXIT_SOFTWARE, "prometheus: %s", strerror(ENOMEM));
fail:
	prom_close(p);
	return -1;
}

/* Two optional strings of a section: NULL is "". */
static int
prom_same(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/* Meter a of ca and b of cb have the same labels: the same series. */
static int
prom_same_series(const struct config *ca, const struct meter_conf *a,
    const struct config *cb, const struct meter_conf *b)
{
	return a->address == b->address && strcmp(a->name, b->name) == 0 &&
	    strcmp(ca->buses[a->bus].name, cb->buses[b->bus].name) == 0;
}

/*
 * exporter_ops.rebind: a reload that keeps the listen address keeps the
 * HTTP server, so no scrape is refused meanwhile; the textfile and the
 * watchdog follow the new section. A meter with the labels of one of the
 * engine served so far keeps its last success time. The text is built
 * again at once: a meter removed leaves it, one added shows up 0.
 */
static int
prom_rebind(void *state, struct engine *eng, const struct config *cfg)
{
	struct prom		*p = state;
	const struct prom_conf	*pc = &cfg->prometheus;
	const struct config	*oc = engine_config(p->eng);
	int64_t			*ok;
	char			*tf = NULL;
	double			 period;
	int			 i, j;

	if (pc->line == 0 || !prom_same(pc->listen, p->listen))
		return -1;
	ok = calloc(cfg->nmeters > 0 ? (size_t)cfg->nmeters : 1, sizeof *ok);
	if (ok == NULL || (pc->textfile != NULL &&
	    (tf = strdup(pc->textfile)) == NULL)) {
		free(ok);
		return -1;
	}
	for (i = 0; i < cfg->nmeters; i++)
		for (j = 0; j < p->nmeters; j++)
			if (prom_same_series(cfg, &cfg->meters[i], oc,
			    &oc->meters[j])) {
				ok[i] = p->last_ok_wall_ms[j];
				break;
			}
	free(p->last_ok_wall_ms);
	p->last_ok_wall_ms = ok;
	p->nmeters = cfg->nmeters;
	p->eng = eng;
	if (!prom_same(tf, p->textfile))
		p->textfile_failing = 0;
	free(p->textfile);
	p->textfile = tf;
	/* the labels were made for the old engine (the scrapes read s only) */
	for (i = 0; i < p->ntexts; i++)
		pb_free_labels(&p->texts[i]->b);
	period = prom_min_period_s(cfg);
	ev_timer_stop(p->loop, &p->watchdog);
	ev_timer_set(&p->watchdog, period, period);
	ev_timer_start(p->loop, &p->watchdog);
	p->rounds = 0;
	prom_build(p);
	if (p->listen != NULL)
		log_msg(LL_INFO, "prometheus: http://%s/metrics kept open",
		    p->listen);
	return 0;
}

static const struct consumer_ops prom_consumer = {
	.name = "prometheus",
	.cycle = prom_cycle,
	.round = prom_round,
};

const struct exporter_ops exporter_prometheus = {
	.name = "prometheus",
	.open = prom_open,
	.close = prom_close,
	.rebind = prom_rebind,
	.consumer = &prom_consumer,
};
