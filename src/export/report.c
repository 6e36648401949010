/*
 * report.c: the commissioning report. One list of rows (section, item,
 * value, unit, note) is built from the model; the Markdown writer prints a
 * table per section and the CSV writer prints the rows as they are, so the
 * two files always say the same thing. The wiring rules are commission.c's,
 * value formatting regdecode.c's; no bus access happens here.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomic-file.h"
#include "regdecode.h"
#include "regmap.h"
#include "report.h"

typedef void	report_emit_fn(void *ctx, const char *section, const char *item,
		    const char *value, const char *unit, const char *note);

struct report_md {
	FILE		*f;
	char		 section[32];
};

static const char *const report_titles[][2] = {
	{ "report", "Report" },
	{ "meter", "Meter" },
	{ "identity", "Identity (read over the bus)" },
	{ "comm", "Communication settings in use" },
	{ "wiring", "Wiring check" },
	{ "reading", "Readings (snapshot)" },
	{ "bus", "Bus statistics" },
};

static void
report_time(int64_t wall_ms, int local, char *buf, size_t len)
{
	time_t		t = (time_t)(wall_ms / 1000);
	struct tm	tm;

	if ((local ? localtime_r(&t, &tm) : gmtime_r(&t, &tm)) == NULL ||
	    strftime(buf, len, local ? "%Y-%m-%d %H:%M:%S %z" :
	    "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "?");
}

static void
report_rows_meter(const struct report_in *in, report_emit_fn *emit, void *ctx)
{
	const struct meter	*m = in->m;
	char			 buf[64], ts[40];

	report_time(in->wall_ms, 0, ts, sizeof ts);
	emit(ctx, "report", "generated_utc", ts, "", "");
	report_time(in->wall_ms, 1, ts, sizeof ts);
	emit(ctx, "report", "generated_local", ts, "", "console time zone");
	emit(ctx, "meter", "name", m->conf ? m->conf->name : "", "", "");
	emit(ctx, "meter", "label", m->conf ? m->conf->label : "", "", "");
	emit(ctx, "meter", "bus", m->conf ? m->conf->bus_name : "", "", "");
	snprintf(buf, sizeof buf, "%d", m->conf ? m->conf->address : 0);
	emit(ctx, "meter", "address", buf, "", "");
	emit(ctx, "meter", "status", meter_status_word(m, buf, sizeof buf), "",
	    m->status == MS_UNKNOWN ? "not polled yet" : "");
}


/* Where a value comes from, from the register map: "0xC37A" or a range. */
static const char *
report_where(enum reg_id first, enum reg_id last, char *buf, size_t len)
{
	const struct reg_def	*a = regmap_get(first), *b = regmap_get(last);

	if (first == last && a->count == 1)
		snprintf(buf, len, "0x%04X", (unsigned)a->addr);
	else
		snprintf(buf, len, "0x%04X..0x%04X", (unsigned)a->addr,
		    (unsigned)(b->addr + b->count - 1));
	return buf;
}

/* The CS: no register has it; the operator reads it off the LCD. */
static void
report_row_cs(const struct report_in *in, report_emit_fn *emit, void *ctx)
{
	if (in->cs != NULL && in->cs[0] != '\0')
		emit(ctx, "identity", "metrology_checksum_cs", in->cs, "",
		    "typed by the operator from the meter's CS page (not "
		    "readable over Modbus)");
	else
		emit(ctx, "identity", "metrology_checksum_cs", "", "",
		    "not readable over Modbus: read it off the LCD (c on "
		    "the Meter screen notes it)");
}

static void
report_rows_identity(const struct report_in *in, report_emit_fn *emit,
    void *ctx)
{
	const struct meter_ident	*id = &in->m->ident;
	char				 buf[32], where[24];

	if (!id->done) {
		emit(ctx, "identity", "identified", "no", "",
		    "identification has not completed");
		report_row_cs(in, emit, ctx);
		return;
	}
	emit(ctx, "identity", "identified", id->is_e34 ? "COUNTIS E34" :
	    "foreign device", "", "");
	emit(ctx, "identity", "vendor", id->vendor, "",
	    report_where(REG_VENDOR_NAME, REG_VENDOR_NAME, where, sizeof where));
	emit(ctx, "identity", "extended_name", id->ext_name, "",
	    report_where(REG_EXTENDED_NAME, REG_EXTENDED_NAME, where,
	    sizeof where));
	emit(ctx, "identity", "product_name", id->product_name, "",
	    report_where(REG_PRODUCT_NAME, REG_PRODUCT_NAME, where,
	    sizeof where));
	emit(ctx, "identity", "serial", id->serial, "",
	    report_where(REG_SERIAL_AA_SS, REG_SERIAL_RESERVE, where,
	    sizeof where));
	fmt_fixed(buf, sizeof buf, id->sw_version, -2, '.');
	emit(ctx, "identity", "software_version", buf, "",
	    report_where(REG_SOFTWARE_VERSION, REG_SOFTWARE_VERSION, where,
	    sizeof where));
	fmt_fixed(buf, sizeof buf, id->table_version, -2, '.');
	emit(ctx, "identity", "table_version", buf, "",
	    report_where(REG_JBUS_TABLE_VERSION, REG_JBUS_TABLE_VERSION, where,
	    sizeof where));
	report_row_cs(in, emit, ctx);
}

static void
report_rows_comm(const struct report_in *in, report_emit_fn *emit, void *ctx)
{
	const struct bus_conf	*b = in->bus;
	char			 buf[32], ans[120];
	const char		*why;

	why = "the meter's own settings are not readable over Modbus: these "
	    "are the ones the console talks at";
	if (b == NULL) {
		emit(ctx, "comm", "bus", "unknown", "", why);
		return;
	}
	emit(ctx, "comm", "type", bus_type_name(b->type), "", why);
	if (bus_is_net(b)) {
		emit(ctx, "comm", "host", b->host ? b->host : "", "", "");
		snprintf(buf, sizeof buf, "%d", b->port);
		emit(ctx, "comm", "port", buf, "", "");
	}
	if (bus_has_line(b)) {
		if (b->type == BUS_RTU)
			emit(ctx, "comm", "device", b->device ? b->device : "",
			    "", "");
		snprintf(buf, sizeof buf, "%d", b->baud);
		emit(ctx, "comm", "baud", buf, "Bd", "");
		emit(ctx, "comm", "parity", bus_parity_name(b->parity), "", "");
		snprintf(buf, sizeof buf, "%d", b->stop_bits);
		emit(ctx, "comm", "stop_bits", buf, "", "");
	}
	snprintf(buf, sizeof buf, "%d", b->timeout_ms);
	emit(ctx, "comm", "timeout_ms", buf, "ms", "");
	emit(ctx, "comm", "answering", commission_answer_text(in->m, ans,
	    sizeof ans) ? "yes" : "no", "", ans);
	if (in->finder != NULL)
		emit(ctx, "comm", "finder", in->finder, "", "");
}

static void
report_rows_wiring(const struct report_in *in, const struct commission *c,
    report_emit_fn *emit, void *ctx)
{
	char	item[32];
	int	k;

	emit(ctx, "wiring", "meter_test_result", "", "",
	    commission_not_readable);
	for (k = 0; k < CM_NCHECKS; k++)
		emit(ctx, "wiring", c->checks[k].label,
		    commission_state_word(c->checks[k].state), "",
		    c->checks[k].detail);
	emit(ctx, "wiring", "preconditions",
	    commission_state_word((enum cm_state)c->preconditions), "",
	    c->preconditions == CM_PASS ? "the leaflet's test conditions hold" :
	    "the leaflet's test conditions do not all hold now");
	if (!c->known) {
		emit(ctx, "wiring", "inferred_result", "unknown", "",
		    "V, I and P of every phase are needed");
		return;
	}
	for (k = 0; k < c->nfindings; k++) {
		if (c->findings[k].code >= 0)
			snprintf(item, sizeof item, "Err %d", c->findings[k].code);
		else
			snprintf(item, sizeof item, "phase %d absent",
			    c->findings[k].phase);
		emit(ctx, "wiring", item, c->findings[k].text, "",
		    c->findings[k].remedy);
	}
	(void)in;
}

static void
report_rows_readings(const struct report_in *in, report_emit_fn *emit,
    void *ctx)
{
	const struct reg_sample	*s;
	const struct reg_def	*d;
	char			 val[64], note[96];
	size_t			 id;

	for (id = 0; id < REG__COUNT; id++) {
		d = regmap_get((enum reg_id)id);
		if ((s = meter_get(in->m, (enum reg_id)id)) == NULL)
			continue;
		if (!s->v.valid)
			snprintf(val, sizeof val, "n/a");
		else if (reg_format(d, &s->v, val, sizeof val, '.') < 0)
			snprintf(val, sizeof val, "?");
		snprintf(note, sizeof note, "0x%04X %s, age %lld ms", d->addr,
		    reg_conf_name(d->conf),
		    (long long)meter_age_ms(in->m, (enum reg_id)id, in->now_ms));
		emit(ctx, "reading", d->name, val, d->unit, note);
	}
}

static void
report_rows_bus(const struct report_in *in, report_emit_fn *emit, void *ctx)
{
	const struct link_stats	*st = &in->m->stats;
	char			 buf[32], item[24];
	int			 k;

#define ROW(name, fmt, v, unit) do {					\
	snprintf(buf, sizeof buf, fmt, v);				\
	emit(ctx, "bus", name, buf, unit, "this meter");		\
} while (0)
	ROW("requests", "%" PRIu64, st->requests, "");
	ROW("answers", "%" PRIu64, st->answers, "");
	ROW("timeouts", "%" PRIu64, st->timeouts, "");
	ROW("crc_errors", "%" PRIu64, st->crc_errors, "");
	ROW("io_errors", "%" PRIu64, st->io_errors, "");
	for (k = 0; k < STATS_EXC_MAX; k++) {
		if (st->exceptions[k] == 0)
			continue;
		snprintf(item, sizeof item, "exception_%d", k);
		ROW(item, "%" PRIu64, st->exceptions[k], "");
	}
	ROW("latency_p50", "%.1f", stats_lat_p50_us(st) / 1000.0, "ms");
	ROW("latency_p99", "%.1f", stats_lat_p99_us(st) / 1000.0, "ms");
#undef ROW
	if (in->bv != NULL) {
		snprintf(buf, sizeof buf, "%.1f",
		    stats_util_permille(&in->bv->stats, in->now_ms) / 10.0);
		emit(ctx, "bus", "utilisation", buf, "%", "whole bus");
		snprintf(buf, sizeof buf, "%d", in->bv->achievable_ms);
		emit(ctx, "bus", "achievable_refresh", buf, "ms", "whole bus");
	}
}

static void
report_rows(const struct report_in *in, report_emit_fn *emit, void *ctx)
{
	struct commission	 own;
	const struct commission	*c = in->cm;

	if (c == NULL) {
		commission_evaluate(in->m, in->now_ms, &own);
		c = &own;
	}
	report_rows_meter(in, emit, ctx);
	report_rows_identity(in, emit, ctx);
	report_rows_comm(in, emit, ctx);
	report_rows_wiring(in, c, emit, ctx);
	report_rows_readings(in, emit, ctx);
	report_rows_bus(in, emit, ctx);
}

void
report_csv_field(FILE *f, const char *s)
{
	if (s == NULL)
		s = "";
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void
report_csv_emit(void *ctx, const char *section, const char *item,
    const char *value, const char *unit, const char *note)
{
	FILE	*f = ctx;

	report_csv_field(f, section);
	fputc(',', f);
	report_csv_field(f, item);
	fputc(',', f);
	report_csv_field(f, value);
	fputc(',', f);
	report_csv_field(f, unit);
	fputc(',', f);
	report_csv_field(f, note);
	fputc('\n', f);
}

/* A Markdown table cell: '|' escaped, line ends as spaces. */
static void
report_md_cell(FILE *f, const char *s)
{
	fputs("| ", f);
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', f);
		else
			fputc(*s, f);
	}
	fputc(' ', f);
}

static void
report_md_emit(void *ctx, const char *section, const char *item,
    const char *value, const char *unit, const char *note)
{
	struct report_md	*md = ctx;
	const char		*title = section;
	size_t			 k;

	if (strcmp(md->section, section) != 0) {
		for (k = 0; k < sizeof report_titles / sizeof report_titles[0];
		    k++)
			if (strcmp(report_titles[k][0], section) == 0)
				title = report_titles[k][1];
		fprintf(md->f, "\n## %s\n\n", title);
		if (strcmp(section, "wiring") == 0)
			fprintf(md->f, "%s\n\n", commission_not_readable);
		fputs("| item | value | unit | note |\n|---|---|---|---|\n",
		    md->f);
		snprintf(md->section, sizeof md->section, "%s", section);
	}
	report_md_cell(md->f, item);
	report_md_cell(md->f, value);
	report_md_cell(md->f, unit);
	report_md_cell(md->f, note);
	fputs("|\n", md->f);
}

static int
report_flush(FILE *f, struct err *e)
{
	if (fflush(f) != 0 || ferror(f))
		return err_set(e, "%s", strerror(errno ? errno : EIO));
	return 0;
}

int
report_write_md(const struct report_in *in, FILE *f, struct err *e)
{
	struct report_md	md = { .f = f, .section = "" };

	fprintf(f, "# Commissioning report: %s\n",
	    in->m->conf ? in->m->conf->label : "meter");
	report_rows(in, report_md_emit, &md);
	return report_flush(f, e);
}

int
report_write_csv(const struct report_in *in, FILE *f, struct err *e)
{
	fputs("section,item,value,unit,note\n", f);
	report_rows(in, report_csv_emit, f);
	return report_flush(f, e);
}

struct report_file {
	const struct report_in	*in;
	int			(*fn)(const struct report_in *, FILE *,
				    struct err *);
	struct err		*e;
};

static int
report_fill(FILE *f, void *arg)
{
	struct report_file	*r = arg;

	return r->fn(r->in, f, r->e);
}

/*
 * Write one file through a temporary one, under path or its first free
 * name (path-2.ext, ...: an export never replaces a file); path (len
 * bytes) gets the name used. On failure nothing is left.
 */
static int
report_one(const struct report_in *in, char *path, size_t len,
    int (*fn)(const struct report_in *, FILE *, struct err *), struct err *e)
{
	struct report_file	r = { in, fn, e };

	if (strlen(path) + 16 >= ATOMIC_PATH_MAX)
		return err_set(e, "%s: path too long", path);
	if (atomic_write_unique(path, len, 0666, report_fill, &r) < 0)
		return err_set(e, "cannot write %s: %s", path,
		    strerror(errno));
	return 0;
}

int
report_write(const struct report_in *in, const char *dir, char *md_path,
    size_t md_len, char *csv_path, size_t csv_len, struct err *e)
{
	char		name[64], stamp[32];
	const char	*n = in->m->conf ? in->m->conf->name : "meter";
	time_t		t = (time_t)(in->wall_ms / 1000);
	struct tm	tm;
	size_t		i;
	int		a, b;

	for (i = 0; n[i] != '\0' && i + 1 < sizeof name; i++)
		name[i] = (strchr("._-", n[i]) || (n[i] >= '0' && n[i] <= '9') ||
		    ((n[i] | 0x20) >= 'a' && (n[i] | 0x20) <= 'z')) ? n[i] : '_';
	name[i] = '\0';
	if (gmtime_r(&t, &tm) == NULL)
		return err_set(e, "report: bad time");
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	a = snprintf(md_path, md_len, "%s/commissioning-%s-%s.md", dir, name,
	    stamp);
	b = snprintf(csv_path, csv_len, "%s/commissioning-%s-%s.csv", dir, name,
	    stamp);
	if (a < 0 || (size_t)a >= md_len || b < 0 || (size_t)b >= csv_len)
		return err_set(e, "report: path too long in %s", dir);
	if (report_one(in, csv_path, csv_len, report_write_csv, e) == -1)
		return -1;
	if (report_one(in, md_path, md_len, report_write_md, e) == -1) {
		unlink(csv_path);
		return -1;
	}
	return 0;
}
