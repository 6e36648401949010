/*
 * test-csv.c: the CSV writer. Header and column order, exact decimals per
 * scale, empty (never 0) fields for values not read in the last cycle or
 * "not available", status words, RFC 4180 quoting, the excel-eu dialect,
 * atomic rename, append mode, and write errors naming the path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "atomic-file.h"
#include "t.h"

#define HEADER "timestamp,meter,bus,address,status,response_ms," \
	"ea_total_kwh,ea_t1_kwh,ea_t2_kwh,ea_t3_kwh,ea_t4_kwh,tariff,p_kw," \
	"q_kvar,s_kva,pf,v1_v,v2_v,v3_v,u12_v,u23_v,u31_v,i1_a,i2_a,i3_a," \
	"in_a,f_hz,p1_kw,p2_kw,p3_kw,pf1,pf2,pf3,er_total_kvarh\n"

static char	mname[] = "incomer", blabel[] = "Main", bname[] = "rs485-1";
static char	dev[] = "/dev/null";
static struct meter_conf mconf = { .name = mname, .label = blabel,
	.address = 5, .poll_ms = 1000 };
static struct bus_conf bconf = { .name = bname, .type = BUS_RTU,
	.device = dev, .baud = 19200, .parity = 'N', .stop_bits = 1,
	.timeout_ms = 300 };
static char	tmpdir[] = "/tmp/test-csv.XXXXXX";

#define T_CYCLE	5000	/* monotonic ms of the test cycle */

static void
put(struct meter *m, enum reg_id id, int64_t raw, int64_t t_ms)
{
	struct reg_value	v;

	memset(&v, 0, sizeof v);
	v.valid = 1;
	v.raw = raw;
	meter_store(m, id, &v, t_ms, 1700000000000LL);
}

/* A meter whose last cycle (ended at T_CYCLE) read every CSV register. */
static struct meter *
full_meter(void)
{
	static const enum reg_id ids[] = { REG_V1, REG_V2, REG_V3, REG_U12,
		REG_U23, REG_U31, REG_F };
	struct meter	*m = malloc(sizeof *m);
	size_t		 i;

	if (m == NULL)
		abort();
	meter_init(m, &mconf, 0, 1);
	m->status = MS_OK;
	m->last_cycle_ms = T_CYCLE;
	m->last_cycle_wall_ms = 1795588200123LL;	/* 2026-11-25T06:30:00.123Z */
	m->last_response_ms = 42;
	put(m, REG_EA_PLUS_TOTAL_10WH, 1234567, T_CYCLE);	/* 12345.67 kWh */
	put(m, REG_EA_PLUS_T1_10WH, 1000000, T_CYCLE);
	put(m, REG_EA_PLUS_T2_10WH, 200000, T_CYCLE);
	put(m, REG_EA_PLUS_T3_10WH, 30000, T_CYCLE);
	put(m, REG_EA_PLUS_T4_10WH, 4567, T_CYCLE);
	put(m, REG_TARIFF_ACTIVE_B, 2, T_CYCLE);
	put(m, REG_P, -5, T_CYCLE);		/* -50 W = -0.05 kW */
	put(m, REG_Q, 123, T_CYCLE);		/* 1.23 kvar */
	put(m, REG_S, 100000, T_CYCLE);		/* 1000.00 kVA */
	put(m, REG_PF, -999, T_CYCLE);
	for (i = 0; i < sizeof ids / sizeof ids[0]; i++)
		put(m, ids[i], 23107 + (int64_t)i, T_CYCLE);
	put(m, REG_F, 5013, T_CYCLE);		/* 50.13 Hz: an E34's range */
	put(m, REG_I1, 5, T_CYCLE);		/* 0.005 A */
	put(m, REG_I2, 12345, T_CYCLE);
	put(m, REG_I3, 0, T_CYCLE);
	put(m, REG_IN, 100000, T_CYCLE);
	put(m, REG_P1, 1, T_CYCLE);
	put(m, REG_P2, 0, T_CYCLE);
	put(m, REG_P3, 7000, T_CYCLE);
	put(m, REG_PF1, 1000, T_CYCLE);
	put(m, REG_PF2, 0, T_CYCLE);
	put(m, REG_PF3, 5, T_CYCLE);
	put(m, REG_ER_PLUS_TOTAL_10VARH, 99, T_CYCLE);
	return m;
}

static const char full_row[] = "2026-11-25T06:30:00.123Z,incomer,rs485-1,5,"
    "ok,42,12345.67,10000.00,2000.00,300.00,45.67,2,-0.05,1.23,1000.00,"
    "-0.999,231.07,231.08,231.09,231.10,231.11,231.12,0.005,12.345,0.000,"
    "100.000,50.13,0.01,0.00,70.00,1.000,0.000,0.005,0.99\n";

static void
test_csv__header_exact(void)
{
	char	buf[CSV_ROW_MAX];

	T_EQ_INT(csv_format_header(buf, sizeof buf, CSV_RFC4180),
	    (int)strlen(HEADER));
	T_EQ_STR(buf, HEADER);
	csv_format_header(buf, sizeof buf, CSV_EXCEL_EU);
	T_OK(strchr(buf, ',') == NULL);
	T_CONTAINS(buf, "timestamp;meter;bus;address;status;response_ms;");
	T_EQ_INT(csv_format_header(buf, 20, CSV_RFC4180), -1);
}

static void
test_csv__row_exact_decimals(void)
{
	struct meter	*m = full_meter();
	char		 buf[CSV_ROW_MAX];

	T_OK(csv_format_row(buf, sizeof buf, m, &bconf, CSV_RFC4180) > 0);
	T_EQ_STR(buf, full_row);
	meter_release(m);
	free(m);
}

static void
test_csv__excel_eu(void)
{
	struct meter	*m = full_meter();
	char		 buf[CSV_ROW_MAX];

	csv_format_row(buf, sizeof buf, m, &bconf, CSV_EXCEL_EU);
	T_CONTAINS(buf, "2026-11-25T06:30:00.123Z;incomer;rs485-1;5;ok;42;"
	    "12345,67;10000,00;");
	T_CONTAINS(buf, ";-0,05;1,23;1000,00;-0,999;");
	T_OK(strchr(buf + strlen("2026-11-25T06:30:00.123Z"), '.') == NULL);
	meter_release(m);
	free(m);
}

/* Values from an earlier cycle, or "not available", print as nothing. */
static void
test_csv__stale_and_invalid_are_empty(void)
{
	struct meter		*m = full_meter();
	struct reg_value	 v;
	char			 buf[CSV_ROW_MAX];

	put(m, REG_V1, 23000, T_CYCLE - 1000);	/* previous cycle */
	memset(&v, 0, sizeof v);		/* read, but 0xFFFFFFFF */
	meter_store(m, REG_I1, &v, T_CYCLE, 1);
	csv_format_row(buf, sizeof buf, m, &bconf, CSV_RFC4180);
	T_CONTAINS(buf, ",-0.999,,231.08,");	/* v1 empty */
	T_CONTAINS(buf, ",231.12,,12.345,");	/* i1 empty */
	meter_release(m);
	free(m);
}

static void
test_csv__timeout_row_has_no_values(void)
{
	struct meter	*m = full_meter();
	char		 buf[CSV_ROW_MAX];

	m->status = MS_TIMEOUT;
	m->last_response_ms = 0;
	m->last_cycle_ms = T_CYCLE + 1000;	/* nothing read in this one */
	csv_format_row(buf, sizeof buf, m, &bconf, CSV_RFC4180);
	T_EQ_STR(buf, "2026-11-25T06:30:00.123Z,incomer,rs485-1,5,timeout,"
	    ",,,,,,,,,,,,,,,,,,,,,,,,,,,,\n");
	meter_release(m);
	free(m);
}

static void
test_csv__status_words(void)
{
	struct meter	*m = full_meter();
	char		 buf[CSV_ROW_MAX];

	m->status = MS_EXCEPTION;
	m->exc_code = 2;
	csv_format_row(buf, sizeof buf, m, &bconf, CSV_RFC4180);
	T_CONTAINS(buf, ",5,exception-2,42,12345.67,");
	m->status = MS_CRC;
	csv_format_row(buf, sizeof buf, m, &bconf, CSV_RFC4180);
	T_CONTAINS(buf, ",5,crc,42,");
	m->status = MS_NOT_E34;	/* values of a foreign device: none */
	csv_format_row(buf, sizeof buf, m, &bconf, CSV_RFC4180);
	T_CONTAINS(buf, ",5,not-e34,42,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n");
	meter_release(m);
	free(m);
}

/* The tariff falls back to the 0xC6A1 copy when the 0xC801 one is stale. */
static void
test_csv__tariff_fallback(void)
{
	struct meter	*m = full_meter();
	char		 buf[CSV_ROW_MAX];

	put(m, REG_TARIFF_ACTIVE_B, 2, T_CYCLE - 1000);
	put(m, REG_TARIFF_ACTIVE, 3, T_CYCLE);
	csv_format_row(buf, sizeof buf, m, &bconf, CSV_RFC4180);
	T_CONTAINS(buf, ",45.67,3,-0.05,");
	meter_release(m);
	free(m);
}

static void
test_csv__quoting(void)
{
	static char	odd[] = "a,\"b\"\nc";
	static char	semi[] = "x;y";
	struct meter	*m = full_meter();
	struct meter_conf c = mconf;
	struct bus_conf	 b = bconf;
	char		 buf[CSV_ROW_MAX];

	c.name = odd;
	b.name = semi;
	m->conf = &c;
	csv_format_row(buf, sizeof buf, m, &b, CSV_RFC4180);
	T_CONTAINS(buf, ".123Z,\"a,\"\"b\"\"\nc\",x;y,5,");
	csv_format_row(buf, sizeof buf, m, &b, CSV_EXCEL_EU);
	T_CONTAINS(buf, ".123Z;\"a,\"\"b\"\"\nc\";\"x;y\";5;");
	meter_release(m);
	free(m);
}

static char *
slurp(const char *path)
{
	static char	buf[8192];
	FILE		*fp = fopen(path, "r");
	size_t		 n;

	if (fp == NULL)
		return NULL;
	n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static int
count_entries(const char *dir)
{
	char	cmd[256];
	FILE	*p;
	int	n = -1;

	snprintf(cmd, sizeof cmd, "ls -A %s | wc -l", dir);
	if ((p = popen(cmd, "r")) != NULL) {
		if (fscanf(p, "%d", &n) != 1)
			n = -1;
		pclose(p);
	}
	return n;
}

/* The file appears only at csv_close, whole; the temporary goes away. */
static void
test_csv__atomic_rename(void)
{
	struct meter		*m = full_meter();
	struct csv_writer	*w;
	struct err		 e;
	char			 path[256], *s;
	struct stat		 sb;

	snprintf(path, sizeof path, "%s/out.csv", tmpdir);
	w = csv_open(path, CSV_ATOMIC, CSV_RFC4180, &e);
	T_OK(w != NULL);
	if (w == NULL)
		return;
	T_EQ_INT(csv_header(w, &e), 0);
	T_EQ_INT(csv_row(w, m, &bconf, &e), 0);
	T_EQ_INT(csv_row(w, m, &bconf, &e), 0);
	T_OK(stat(path, &sb) == -1 && errno == ENOENT);
	T_EQ_INT(count_entries(tmpdir), 1);	/* the temporary */
	T_EQ_INT(csv_rows(w), 2);
	T_EQ_INT(csv_close(w, &e), 0);
	s = slurp(path);
	T_OK(s != NULL);
	T_OK(s != NULL && strncmp(s, HEADER, strlen(HEADER)) == 0);
	T_OK(s != NULL && strcmp(s + strlen(HEADER), full_row) != 0 &&
	    strncmp(s + strlen(HEADER), full_row, strlen(full_row)) == 0);
	T_EQ_INT(count_entries(tmpdir), 1);	/* only out.csv */
	T_OK(stat(path, &sb) == 0 && (sb.st_mode & 0777) != 0600);
	unlink(path);
	meter_release(m);
	free(m);
}

static void
test_csv__abort_leaves_nothing(void)
{
	struct csv_writer	*w;
	struct err		 e;
	char			 path[256];

	snprintf(path, sizeof path, "%s/gone.csv", tmpdir);
	w = csv_open(path, CSV_ATOMIC, CSV_RFC4180, &e);
	T_OK(w != NULL);
	csv_header(w, &e);
	csv_abort(w);
	T_EQ_INT(count_entries(tmpdir), 0);
}

/* Append: rows are on disk as soon as csv_row returns; no second header. */
static void
test_csv__append_mode(void)
{
	struct meter		*m = full_meter();
	struct csv_writer	*w;
	struct err		 e;
	char			 path[256], *s;
	int			 i;

	snprintf(path, sizeof path, "%s/rec.csv", tmpdir);
	for (i = 0; i < 2; i++) {
		w = csv_open(path, CSV_APPEND, CSV_RFC4180, &e);
		T_OK(w != NULL);
		if (w == NULL)
			return;
		T_EQ_INT(csv_header(w, &e), 0);
		T_EQ_INT(csv_row(w, m, &bconf, &e), 0);
		s = slurp(path);	/* before close */
		T_OK(s != NULL && strlen(s) == strlen(HEADER) +
		    (size_t)(i + 1) * strlen(full_row));
		T_EQ_INT(csv_close(w, &e), 0);
	}
	unlink(path);
	meter_release(m);
	free(m);
}

static void
test_csv__errors_name_the_path(void)
{
	struct meter		*m = full_meter();
	struct csv_writer	*w;
	struct err		 e;
	char			 path[256];

	snprintf(path, sizeof path, "%s/no/such/dir/x.csv", tmpdir);
	memset(&e, 0, sizeof e);
	T_OK(csv_open(path, CSV_ATOMIC, CSV_RFC4180, &e) == NULL);
	T_CONTAINS(e.msg, path);
	T_CONTAINS(e.msg, strerror(ENOENT));
	T_EQ_INT(e.code, EXIT_NOINPUT);
	/* /dev/full: every write fails with ENOSPC */
	w = csv_open("/dev/full", CSV_APPEND, CSV_RFC4180, &e);
	T_OK(w != NULL);
	if (w == NULL)
		return;
	T_EQ_INT(csv_header(w, &e), -1);
	T_CONTAINS(e.msg, "/dev/full: ");
	T_CONTAINS(e.msg, strerror(ENOSPC));
	T_EQ_INT(csv_row(w, m, &bconf, &e), -1);	/* stays failed */
	csv_close(w, &e);
	meter_release(m);
	free(m);
}

/*
 * Exports never replace a file (issue 13): a second snapshot of the same
 * second goes to NAME-2.csv, a third to NAME-3.csv, both for the atomic
 * writer (link at csv_finish) and the appending one (O_EXCL at open); a
 * file made under the wanted name while the writer ran is kept too.
 */
static void
test_csv__new_never_overwrites(void)
{
	struct meter		*m = full_meter();
	struct csv_writer	*w;
	struct err		 e;
	char			 path[256], want[256], got[256], *s;
	FILE			*fp;
	int			 i;

	snprintf(want, sizeof want, "%s/snapshot-20260301T101500Z.csv", tmpdir);
	for (i = 1; i <= 3; i++) {
		w = csv_open_new(want, CSV_ATOMIC, CSV_RFC4180, &e);
		T_OK(w != NULL);
		if (w == NULL)
			return;
		T_EQ_INT(csv_header(w, &e), 0);
		T_EQ_INT(csv_row(w, m, &bconf, &e), 0);
		if (i == 3) {	/* someone takes -3 meanwhile */
			snprintf(path, sizeof path, "%s/snapshot-20260301T"
			    "101500Z-3.csv", tmpdir);
			if ((fp = fopen(path, "w")) != NULL) {
				fputs("theirs\n", fp);
				fclose(fp);
			}
		}
		T_EQ_INT(csv_finish(w, got, sizeof got, &e), 0);
		unique_name(want, i == 3 ? 4 : i, path, sizeof path);
		T_EQ_STR(got, path);
	}
	T_EQ_INT(count_entries(tmpdir), 4);
	snprintf(path, sizeof path, "%s/snapshot-20260301T101500Z-3.csv",
	    tmpdir);
	s = slurp(path);
	T_OK(s != NULL && strcmp(s, "theirs\n") == 0);
	/* appending: a recording started in the same second */
	snprintf(want, sizeof want, "%s/snapshot-20260301T101500Z.csv", tmpdir);
	w = csv_open_new(want, CSV_APPEND, CSV_RFC4180, &e);
	T_OK(w != NULL);
	if (w != NULL) {
		unique_name(want, 5, path, sizeof path);
		T_EQ_STR(csv_path(w), path);
		T_EQ_INT(csv_header(w, &e), 0);
		T_EQ_INT(csv_close(w, &e), 0);
		s = slurp(path);
		T_OK(s != NULL && strcmp(s, HEADER) == 0);
		}
	for (i = 1; i <= 5; i++) {
		unique_name(want, i, path, sizeof path);
		T_EQ_INT(unlink(path), 0);
	}
	/* the suffix goes before the extension, or at the end without one */
	T_EQ_INT(unique_name("/a.b/rec", 2, path, sizeof path), 0);
	T_EQ_STR(path, "/a.b/rec-2");
	T_EQ_INT(unique_name("d/x.tar.csv", 12, path, sizeof path), 0);
	T_EQ_STR(path, "d/x.tar-12.csv");
	T_EQ_INT(unique_name("d/x.csv", 2, path, 8), -1);
	meter_release(m);
	free(m);
}

int
main(void)
{
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	T_RUN(test_csv__header_exact);
	T_RUN(test_csv__row_exact_decimals);
	T_RUN(test_csv__excel_eu);
	T_RUN(test_csv__stale_and_invalid_are_empty);
	T_RUN(test_csv__timeout_row_has_no_values);
	T_RUN(test_csv__status_words);
	T_RUN(test_csv__tariff_fallback);
	T_RUN(test_csv__quoting);
	T_RUN(test_csv__atomic_rename);
	T_RUN(test_csv__abort_leaves_nothing);
	T_RUN(test_csv__append_mode);
	T_RUN(test_csv__errors_name_the_path);
	T_RUN(test_csv__new_never_overwrites);
	rmdir(tmpdir);
	return t_done();
}
