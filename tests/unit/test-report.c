/*
 * test-report.c: the commissioning report's rows in CSV and Markdown, the
 * RFC 4180 quoting, and writing both files (and failing cleanly).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"
#include "t.h"

static char		name[] = "incomer", label[] = "Main, incomer", bus[] = "rs485-1";
static struct meter_conf conf = { .name = name, .address = 5, .poll_ms = 1000,
			    .label = label, .bus_name = bus };

static void
put(struct meter *m, enum reg_id id, int64_t raw)
{
	struct reg_value	v;

	memset(&v, 0, sizeof v);
	v.valid = 1;
	v.raw = raw;
	meter_store(m, id, &v, 1000, 0);
}

static void
fill(struct meter *m)
{
	meter_init(m, &conf, 0, 0);
	m->status = MS_OK;
	m->ident.done = 1;
	m->ident.is_e34 = 1;
	snprintf(m->ident.vendor, sizeof m->ident.vendor, "SOCOMEC");
	snprintf(m->ident.ext_name, sizeof m->ident.ext_name, "COUNTIS E34");
	snprintf(m->ident.serial, sizeof m->ident.serial, "2301-3005-10005");
	m->ident.sw_version = 100;
	m->ident.table_version = 101;
	put(m, REG_V1, 23107);
	put(m, REG_V2, 23000);
	put(m, REG_V3, 23000);
	put(m, REG_I1, 40000);
	put(m, REG_I2, 40000);
	put(m, REG_I3, 40000);
	put(m, REG_P1, 828);
	put(m, REG_P2, -828);
	put(m, REG_P3, 828);
	put(m, REG_PF1, 900);
	put(m, REG_PF2, 900);
	put(m, REG_PF3, 900);
	put(m, REG_EA_PLUS_TOTAL_10WH, 123456);
	m->stats.requests = 10;
	m->stats.answers = 9;
	m->stats.timeouts = 1;
}

static char *
render(int (*fn)(const struct report_in *, FILE *, struct err *),
    const struct report_in *in)
{
	struct err	e = { "", 0 };
	char		*buf = NULL;
	size_t		len = 0;
	FILE		*f = open_memstream(&buf, &len);

	T_EQ_INT(fn(in, f, &e), 0);
	fclose(f);
	return buf;
}

static void
test_report__csv_rows(void)
{
	struct meter		m;
	struct bus_conf		b = { .name = bus, .type = BUS_RTU, .baud = 19200,
				    .parity = 'N', .stop_bits = 1,
				    .timeout_ms = 300 };
	struct report_in	in = { .m = &m, .bus = &b, .now_ms = 1500,
				    .wall_ms = 1796284800000LL };
	char			*s;

	b.device = name;
	fill(&m);
	s = render(report_write_csv, &in);
	T_OK(strncmp(s, "section,item,value,unit,note\n", 29) == 0);
	T_CONTAINS(s, "report,generated_utc,2026-12-03T08:00:00Z,,\n");
	T_CONTAINS(s, "meter,label,\"Main, incomer\",,\n");
	T_CONTAINS(s, "identity,software_version,1.00,,0xC357\n");
	T_CONTAINS(s, "identity,serial,2301-3005-10005,,");
	T_CONTAINS(s, "comm,baud,19200,Bd,\n");
	T_CONTAINS(s, "comm,parity,none,,\n");
	T_CONTAINS(s, "wiring,meter_test_result,,,The meter's own connection");
	T_CONTAINS(s, "wiring,Err 2,Err 2 = inverted connection of phase 2");
	T_CONTAINS(s, "reading,V1,231.07,V,\"0xC558 confirmed-E34, age 500 ms\"\n");
	T_CONTAINS(s, "reading,Ea_plus_total_10Wh,1234.56,kWh,");
	T_CONTAINS(s, "bus,timeouts,1,,this meter\n");
	T_CONTAINS(s, "comm,answering,yes,,answers\n");
	T_CONTAINS(s, "identity,metrology_checksum_cs,,,not readable over "
	    "Modbus: read it off the LCD");
	T_CONTAINS(s, "wiring,Power factor 0.6 < |PF| < 1,ok,,L1 0.900");
	free(s);
	/* issue 13 item 8: the CS typed on the Meter screen */
	in.cs = "176C";
	m.status = MS_EXCEPTION;
	m.exc_code = 2;
	s = render(report_write_csv, &in);
	T_CONTAINS(s, "identity,metrology_checksum_cs,176C,,typed by the "
	    "operator from the meter's CS page");
	T_CONTAINS(s, "comm,answering,yes,,answers with exception 02 (illegal "
	    "data address)\n");
	free(s);
	s = render(report_write_md, &in);
	T_CONTAINS(s, "| metrology_checksum_cs | 176C |");
	free(s);
	meter_release(&m);
}

static void
test_report__markdown_tables(void)
{
	struct meter		m;
	struct report_in	in = { .m = &m, .now_ms = 1500,
				    .wall_ms = 1796284800000LL };
	char			*s;

	fill(&m);
	snprintf(m.ident.product_name, sizeof m.ident.product_name, "a|b");
	s = render(report_write_md, &in);
	T_CONTAINS(s, "# Commissioning report: Main, incomer\n");
	T_CONTAINS(s, "\n## Wiring check\n\nThe meter's own connection test");
	T_CONTAINS(s, "| product_name | a\\|b |");
	T_CONTAINS(s, "| V1 | 231.07 | V |");
	T_CONTAINS(s, "| bus | unknown |");
	free(s);
	meter_release(&m);
}

static void
test_report__quoting(void)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&buf, &len);

	report_csv_field(f, "plain");
	fputc('|', f);
	report_csv_field(f, "a \"q\", b");
	fputc('|', f);
	report_csv_field(f, "two\nlines");
	fputc('|', f);
	report_csv_field(f, NULL);
	fclose(f);
	T_EQ_STR(buf, "plain|\"a \"\"q\"\", b\"|\"two\nlines\"|");
	free(buf);
}

static void
test_report__files_and_failure(void)
{
	struct meter		m;
	struct report_in	in = { .m = &m, .now_ms = 1500,
				    .wall_ms = 1796284800000LL };
	struct err		e = { "", 0 };
	char			dir[] = "/tmp/test-report.XXXXXX", md[256], csv[256];
	char			md2[256], csv2[256];
	struct stat		st;

	fill(&m);
	T_OK(mkdtemp(dir) != NULL);
	T_EQ_INT(report_write(&in, dir, md, sizeof md, csv, sizeof csv, &e), 0);
	T_CONTAINS(md, "/commissioning-incomer-20261203T080000Z.md");
	T_CONTAINS(csv, "/commissioning-incomer-20261203T080000Z.csv");
	T_EQ_INT(stat(md, &st), 0);
	T_OK(st.st_size > 500);
	T_EQ_INT(stat(csv, &st), 0);
	/* a second report in the same second keeps the first (issue 13 #16) */
	snprintf(md2, sizeof md2, "%s", md);
	snprintf(csv2, sizeof csv2, "%s", csv);
	T_EQ_INT(report_write(&in, dir, md, sizeof md, csv, sizeof csv, &e), 0);
	T_CONTAINS(md, "/commissioning-incomer-20261203T080000Z-2.md");
	T_CONTAINS(csv, "/commissioning-incomer-20261203T080000Z-2.csv");
	T_EQ_INT(stat(md2, &st), 0);
	T_EQ_INT(stat(csv2, &st), 0);
	unlink(md2);
	unlink(csv2);
	unlink(md);
	unlink(csv);
	T_EQ_INT(rmdir(dir), 0);	/* nothing else was left */
	T_EQ_INT(report_write(&in, dir, md, sizeof md, csv, sizeof csv, &e), -1);
	T_CONTAINS(e.msg, "cannot write /tmp/test-report.");
	T_CONTAINS(e.msg, "No such file or directory");
	meter_release(&m);
}

int
main(void)
{
	T_RUN(test_report__csv_rows);
	T_RUN(test_report__markdown_tables);
	T_RUN(test_report__quoting);
	T_RUN(test_report__files_and_failure);
	return t_done();
}
