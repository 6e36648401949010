/*
 * test-config.c: config.c, the countis-tui.ini loader: character wire time,
 * defaults, every key, the details of the line reader (comments, indents,
 * CRLF, BOM, long lines), error messages and codes, and the lookup.
 * Every loaded configuration is checked by config_assert_sane.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "t.h"

static char	t_dir[] = "/tmp/test-config.XXXXXX";
static char	t_path[256];
static struct config t_cfg;	/* 512 meters: too big for a test's stack */

/* Write text to a fresh file in t_dir; its path is in t_path. */
static void
write_ini(const char *text)
{
	static int	 n;
	FILE		*fp;

	snprintf(t_path, sizeof t_path, "%s/t%d.ini", t_dir, ++n);
	fp = fopen(t_path, "w");
	if (fp == NULL) {
		perror(t_path);
		exit(2);
	}
	fputs(text, fp);
	fclose(fp);
}

/* Invariants of a loaded configuration. */
static void
config_assert_sane(const struct config *c)
{
	int	i, j;

	T_OK(c->path != NULL && c->theme != NULL && c->export_dir != NULL);
	T_OK(c->nbuses >= 0 && c->nbuses <= CONFIG_MAX_BUSES);
	T_OK(c->nmeters >= 1 && c->nmeters <= CONFIG_MAX_METERS);
	for (i = 0; i < c->nbuses; i++) {
		T_OK(c->buses[i].name != NULL && c->buses[i].line > 0);
		T_OK(c->buses[i].type == BUS_TCP ? c->buses[i].host != NULL :
		    c->buses[i].device != NULL);
	}
	for (i = 0; i < c->nmeters; i++) {
		const struct meter_conf *m = &c->meters[i];

		T_OK(m->bus >= 0 && m->bus < c->nbuses);
		T_EQ_STR(m->bus_name, c->buses[m->bus].name);
		T_OK(m->address >= 1 && m->address <= 247);
		T_OK(m->label != NULL);
		for (j = 0; j < i; j++)
			T_OK(c->meters[j].bus != m->bus ||
			    c->meters[j].address != m->address);
	}
}

/* Load text; returns config_load's result, e filled. */
static int
load(const char *text, struct err *e)
{
	memset(e, 0, sizeof *e);
	config_free(&t_cfg);
	write_ini(text);
	return config_load(&t_cfg, t_path, e);
}

/* Load text and require success. */
static void
load_ok(const char *text)
{
	struct err	e;

	if (load(text, &e) != 0)
		T_FAIL_("load failed: %s", e.msg);
	else
		config_assert_sane(&t_cfg);
}

/*
 * Load text and require failure with exit 78, a message starting with
 * "FILE:LINE: " ("FILE: " for line 0) and containing want.
 */
static void
load_bad(const char *text, int line, const char *want)
{
	struct err	e;
	char		prefix[300];

	T_EQ_INT(load(text, &e), -1);
	T_EQ_INT(e.code, EXIT_CONFIG);
	if (line > 0)
		snprintf(prefix, sizeof prefix, "%s:%d: ", t_path, line);
	else
		snprintf(prefix, sizeof prefix, "%s: ", t_path);
	T_EQ_INT(strncmp(e.msg, prefix, strlen(prefix)), 0);
	T_CONTAINS(e.msg, want);
	/* a failed load leaves nothing behind */
	T_EQ_INT(t_cfg.nbuses, 0);
	T_EQ_INT(t_cfg.nmeters, 0);
	T_OK(t_cfg.path == NULL);
}

#define MINI	"[bus b]\ntype = rtu\ndevice = /dev/ttyUSB0\n" \
		"[meter m]\nbus = b\naddress = 1\n"

static void
test_config__char_us(void)
{
	struct bus_conf	b;

	memset(&b, 0, sizeof b);
	b.baud = 19200; b.parity = 'N'; b.stop_bits = 1;
	T_EQ_INT(bus_char_us(&b), 521);		/* 10 bits: 520.8 up */
	b.baud = 9600;
	T_EQ_INT(bus_char_us(&b), 1042);	/* 1041.7 */
	b.parity = 'E';
	T_EQ_INT(bus_char_us(&b), 1146);	/* 11 bits: 1145.8 */
	b.baud = 4800; b.parity = 'O'; b.stop_bits = 2;
	T_EQ_INT(bus_char_us(&b), 2500);	/* 12 bits, exact */
	b.baud = 38400; b.parity = 'N'; b.stop_bits = 2;
	T_EQ_INT(bus_char_us(&b), 287);		/* 11 bits: 286.5 */
	b.baud = 0;
	T_EQ_INT(bus_char_us(&b), 0);
}

static void
test_config__parity_name(void)
{
	T_EQ_STR(bus_parity_name('N'), "none");
	T_EQ_STR(bus_parity_name('E'), "even");
	T_EQ_STR(bus_parity_name('O'), "odd");
}

static void
test_config__defaults(void)
{
	load_ok(MINI);
	T_EQ_STR(t_cfg.path, t_path);
	T_EQ_STR(t_cfg.theme, "default");
	T_EQ_STR(t_cfg.export_dir, ".");
	T_EQ_INT(t_cfg.refresh_ms, 1000);
	T_EQ_INT(t_cfg.writes, 0);
	T_EQ_INT(t_cfg.csv_dialect, CSV_RFC4180);
	T_EQ_INT(t_cfg.buses[0].baud, 19200);
	T_EQ_INT(t_cfg.buses[0].parity, 'N');
	T_EQ_INT(t_cfg.buses[0].stop_bits, 1);
	T_EQ_INT(t_cfg.buses[0].timeout_ms, 300);
	T_EQ_INT(t_cfg.buses[0].port, 502);
	T_EQ_INT(t_cfg.buses[0].line, 1);
	T_EQ_INT(t_cfg.meters[0].poll_ms, 1000);
	T_EQ_INT(t_cfg.meters[0].line, 4);
	T_EQ_STR(t_cfg.meters[0].label, "m");	/* label defaults to name */
}

static void
test_config__every_key(void)
{
	load_ok("[console]\ntheme = night\nrefresh_ms = 250\nwrites = on\n"
	    "export_dir = /var/tmp\ncsv_dialect = excel-eu\n"
	    "[bus gw]\ntype = tcp\nhost = 192.0.2.9\nport = 1502\n"
	    "baud = 38400\nparity = odd\nstop_bits = 2\ntimeout_ms = 10000\n"
	    "[bus s]\ntype = rtu\ndevice = /dev/ttyS1\nbaud = 4800\n"
	    "[meter a]\nbus = s\naddress = 247\npoll_ms = 3600000\n"
	    "label = Main incomer\n"
	    "[meter b]\nbus = gw\naddress = 247\npoll_ms = 100\n");
	T_EQ_STR(t_cfg.theme, "night");
	T_EQ_INT(t_cfg.refresh_ms, 250);
	T_EQ_INT(t_cfg.writes, 1);
	T_EQ_STR(t_cfg.export_dir, "/var/tmp");
	T_EQ_INT(t_cfg.csv_dialect, CSV_EXCEL_EU);
	T_EQ_INT(t_cfg.nbuses, 2);
	T_EQ_STR(t_cfg.buses[0].name, "gw");
	T_EQ_INT(t_cfg.buses[0].type, BUS_TCP);
	T_EQ_STR(t_cfg.buses[0].host, "192.0.2.9");
	T_EQ_INT(t_cfg.buses[0].port, 1502);
	T_EQ_INT(t_cfg.buses[0].baud, 38400);
	T_EQ_INT(t_cfg.buses[0].parity, 'O');
	T_EQ_INT(t_cfg.buses[0].stop_bits, 2);
	T_EQ_INT(t_cfg.buses[0].timeout_ms, 10000);
	T_EQ_INT(t_cfg.buses[1].type, BUS_RTU);
	T_EQ_STR(t_cfg.buses[1].device, "/dev/ttyS1");
	T_EQ_INT(t_cfg.buses[1].baud, 4800);
	T_EQ_INT(t_cfg.nmeters, 2);
	T_EQ_INT(t_cfg.meters[0].bus, 1);
	T_EQ_INT(t_cfg.meters[0].address, 247);
	T_EQ_INT(t_cfg.meters[0].poll_ms, 3600000);
	T_EQ_STR(t_cfg.meters[0].label, "Main incomer");
	T_EQ_INT(t_cfg.meters[1].bus, 0);
	T_EQ_INT(t_cfg.meters[1].poll_ms, 100);
	T_EQ_INT(t_cfg.meters[0].line, 19);
	T_EQ_INT(t_cfg.meters[1].line, 24);
}

static void
test_config__writes_spellings(void)
{
	static const char *const on[] = { "on", "yes", "true", "1" };
	static const char *const off[] = { "off", "no", "false", "0" };
	char		 text[256];
	size_t		 i;

	for (i = 0; i < 4; i++) {
		snprintf(text, sizeof text, "[console]\nwrites = %s\n" MINI,
		    on[i]);
		load_ok(text);
		T_EQ_INT(t_cfg.writes, 1);
		snprintf(text, sizeof text, "[console]\nwrites = %s\n" MINI,
		    off[i]);
		load_ok(text);
		T_EQ_INT(t_cfg.writes, 0);
	}
	load_bad("[console]\nwrites = On\n" MINI, 2, "expected on or off");
}

/* Comments, indents, ':' separators, CRLF and a BOM read as expected. */
static void
test_config__reader_details(void)
{
	load_ok("[bus b]\n  type = rtu\n\tdevice: /dev/ttyUSB0 ; adapter\n"
	    "[meter m]\n   bus = b\n   address = 7 ; seven\n"
	    "   label = A;B ; comment\n");
	T_EQ_STR(t_cfg.buses[0].device, "/dev/ttyUSB0");
	T_EQ_INT(t_cfg.meters[0].address, 7);
	T_EQ_STR(t_cfg.meters[0].label, "A;B");
	load_ok("\xef\xbb\xbf[bus b]\r\ntype = rtu\r\ndevice = /dev/x\r\n"
	    "[meter m]\r\nbus = b\r\naddress = 3\r\n");
	T_EQ_STR(t_cfg.buses[0].device, "/dev/x");
	T_EQ_INT(t_cfg.meters[0].address, 3);
	T_EQ_INT(t_cfg.meters[0].line, 4);
}

static void
test_config__value_with_semicolon_glued(void)
{
	/* no blank before ';': inih keeps it, so the number is bad */
	load_bad(MINI "poll_ms = 500;x\n", 7, "poll_ms = '500;x': not a whole "
	    "number");
}

static void
test_config__errors_name_line_key_value(void)
{
	load_bad("[bus rs485-1]\ntype = rtu\ndevice = /dev/x\nbaud = 19201\n",
	    4, "[bus rs485-1] baud = '19201': expected 4800, 9600, 19200 or "
	    "38400");
	load_bad(MINI "address = 2\n", 7, "[meter m] address = '2': address "
	    "is already set at line 6");
	load_bad(MINI "[meter n]\nbus = b\naddress = 1\n", 9, "[meter n] "
	    "address = 1: [meter m] (line 6) already has address 1 on bus b");
	load_bad("[bus b]\ntype = rtu\ndevice = /dev/x\n[meter m]\nbus = c\n"
	    "address = 1\n", 5, "bus = 'c': no [bus c] section");
	load_bad(MINI "[meter n]\naddress = 2\n", 7, "[meter n] has no bus");
	load_bad("[bus b]\ntype = rtu\ndevice = /dev/x\n", 0,
	    "no [meter NAME] section");
}

static void
test_config__numbers(void)
{
	load_bad(MINI "poll_ms =\n", 7, "poll_ms = '': empty value");
	load_bad(MINI "poll_ms = 1e3\n", 7, "not a whole number");
	load_bad(MINI "poll_ms = +500\n", 7, "not a whole number");
	load_bad(MINI "poll_ms = 0x10\n", 7, "not a whole number");
	load_bad(MINI "poll_ms = 2147483648\n", 7, "number too large");
	load_bad(MINI "poll_ms = -1\n", 7, "expected 100..3600000");
	load_bad(MINI "poll_ms = 99\n", 7, "expected 100..3600000");
	load_ok(MINI "poll_ms = 0100\n");
	T_EQ_INT(t_cfg.meters[0].poll_ms, 100);
}

/* Every error of a file is reported with its own line, as many as fit. */
static void
test_config__several_errors(void)
{
	struct err	e;
	char		text[2048], want[300];
	int		i;

	T_EQ_INT(load("[bus b]\nbaud = 1\nparity = x\n\nstop_bits = 9\n", &e),
	    -1);
	snprintf(want, sizeof want, "%s:2: [bus b] baud = '1'", t_path);
	T_CONTAINS(e.msg, want);
	snprintf(want, sizeof want, "\n%s:3: [bus b] parity = 'x'", t_path);
	T_CONTAINS(e.msg, want);
	snprintf(want, sizeof want, "\n%s:5: [bus b] stop_bits = '9'", t_path);
	T_CONTAINS(e.msg, want);

	strcpy(text, "[bus b]\n");
	for (i = 0; i < 40; i++)
		strcat(text, "nosuchkey = 1\n");
	T_EQ_INT(load(text, &e), -1);
	T_OK(strlen(e.msg) < sizeof e.msg - 1);
	T_CONTAINS(e.msg, "more errors not shown; --check-config lists them "
	    "all)");
}

/* Lines longer than the reader's buffer are drained and counted whole. */
static void
test_config__very_long_line(void)
{
	struct err	 e;
	char		*text;

	if ((text = malloc(6000)) == NULL) {
		T_OK(text != NULL);
		return;
	}
	strcpy(text, "[bus b]\n; ");
	memset(text + 10, 'x', 4990);
	strcpy(text + 5000, "\nbaud = 7\n");
	T_EQ_INT(load(text, &e), -1);
	T_CONTAINS(e.msg, ":2: line too long (4992 bytes, at most 198)");
	T_CONTAINS(e.msg, ":3: [bus b] baud = '7'");
	free(text);
}

static void
test_config__names(void)
{
	load_ok("[bus A.b_c-9]\ntype = rtu\ndevice = /dev/x\n"
	    "[meter 0]\nbus = A.b_c-9\naddress = 1\n");
	T_EQ_STR(t_cfg.buses[0].name, "A.b_c-9");
	T_EQ_STR(t_cfg.meters[0].name, "0");
	load_bad(MINI "[meter x,y]\n", 7, "bad meter name 'x,y': ',' at "
	    "position 2");
	load_bad(MINI "[Meter x]\n", 7, "unknown section '[Meter x]'");
	load_bad(MINI "[meter m]\n", 7, "[meter m] already defined at line 4");
	/* bus and meter names are separate: a meter may share a bus's name */
	load_ok("[bus m]\ntype = rtu\ndevice = /dev/x\n"
	    "[meter m]\nbus = m\naddress = 1\n");
}

static void
test_config__limits(void)
{
	struct err	 e;
	char		*text, *p;
	int		 i;

	text = malloc(CONFIG_MAX_METERS * 64 + 256);
	T_OK(text != NULL);
	if (text == NULL)
		return;
	p = text + sprintf(text, "[bus b]\ntype = tcp\nhost = h\n");
	for (i = 0; i <= CONFIG_MAX_METERS; i++)
		p += sprintf(p, "[meter m%d]\nbus = b\naddress = %d\n", i,
		    i % 247 + 1);
	T_EQ_INT(load(text, &e), -1);
	T_CONTAINS(e.msg, "too many meters (at most 512)");
	free(text);
}

static void
test_config__reload_and_codes(void)
{
	struct err	e;

	load_ok(MINI);
	load_ok(MINI "[meter n]\nbus = b\naddress = 2\n");
	T_EQ_INT(t_cfg.nmeters, 2);
	config_free(&t_cfg);
	config_free(&t_cfg);		/* twice is fine */
	T_EQ_INT(t_cfg.nmeters, 0);

	memset(&e, 0, sizeof e);
	T_EQ_INT(config_load(&t_cfg, "/nonexistent/countis-tui.ini", &e), -1);
	T_EQ_INT(e.code, EXIT_NOINPUT);
	T_EQ_STR(e.msg, "/nonexistent/countis-tui.ini: No such file or "
	    "directory");
	memset(&e, 0, sizeof e);
	T_EQ_INT(config_load(&t_cfg, t_dir, &e), -1);
	T_EQ_INT(e.code, EXIT_NOINPUT);
	T_CONTAINS(e.msg, "Is a directory");
}

static void
test_config__find(void)
{
	struct err	e;
	char		buf[512];

	memset(&e, 0, sizeof e);
	T_EQ_INT(config_find("given.ini", buf, sizeof buf, &e), 0);
	T_EQ_STR(buf, "given.ini");
	setenv("COUNTIS_TUI_CONFIG", "/from/env.ini", 1);
	T_EQ_INT(config_find(NULL, buf, sizeof buf, &e), 0);
	T_EQ_STR(buf, "/from/env.ini");
	T_EQ_INT(config_find("given.ini", buf, sizeof buf, &e), 0);
	T_EQ_STR(buf, "given.ini");
	unsetenv("COUNTIS_TUI_CONFIG");
}

/* Collect every complaint config_load_each hands out. */
struct t_complaints {
	int	n;
	char	all[4096];
};

static void
t_collect(void *arg, const char *complaint)
{
	struct t_complaints	*c = arg;
	size_t			 used = strlen(c->all);

	c->n++;
	snprintf(c->all + used, sizeof c->all - used, "%s\n", complaint);
}

/*
 * Issue 13: one run reports every error of the file, the rules across keys
 * (no type, unknown bus, missing address, duplicate address) together with
 * the per-key ones, each with its line; a refused value causes no second
 * complaint about the same key.
 */
static void
test_config__every_error_in_one_run(void)
{
	struct t_complaints	c;
	struct err		e;
	char			want[300];
	static const struct {
		int		 line;
		const char	*what;
	} wants[] = {
		{ 1, "[bus b] type = rtu needs device" },
		{ 2, "[bus b] baud = '1'" },
		{ 4, "[bus t] has no type" },
		{ 8, "[meter m1] bus = 'b9': no [bus b9] section" },
		{ 9, "[meter m2] has no address" },
		{ 13, "[meter m3] address = 'five': not a whole number" },
		{ 16, "[meter m4] unknown key 'device'" },
		{ 18, "[meter m4] address = '5': address is already set" },
		{ 21, "[meter m5] address = 5: [meter m4] (line 17)" },
	};
	size_t			 i;

	memset(&c, 0, sizeof c);
	memset(&e, 0, sizeof e);
	config_free(&t_cfg);
	write_ini("[bus b]\nbaud = 1\ntype = rtu\n[bus t]\nhost = x\n"
	    "[meter m1]\naddress = 1\nbus = b9\n[meter m2]\nbus = b\n"
	    "[meter m3]\nbus = b\naddress = five\n[meter m4]\nbus = b\n"
	    "device = /dev/ttyUSB0\naddress = 5\naddress = 5\n"
	    "[meter m5]\nbus = b\naddress = 5\n");
	T_EQ_INT(config_load_each(&t_cfg, t_path, t_collect, &c, &e), -1);
	T_EQ_INT(e.code, EXIT_CONFIG);
	for (i = 0; i < sizeof wants / sizeof wants[0]; i++) {
		snprintf(want, sizeof want, "%s:%d: %s", t_path, wants[i].line,
		    wants[i].what);
		T_CONTAINS(c.all, want);
	}
	T_OK(strstr(c.all, "[meter m3] has no address") == NULL);
	T_OK(strstr(c.all, "nothing to poll") == NULL);
	T_EQ_INT(c.n, 9);
	T_EQ_INT(t_cfg.nmeters, 0);		/* nothing left behind */
}

/* Issue 8: bytes that would drive the terminal reach no message raw. */
static void
test_config__control_bytes_escaped(void)
{
	struct t_complaints	c;
	struct err		e;
	size_t			i;

	memset(&c, 0, sizeof c);
	memset(&e, 0, sizeof e);
	config_free(&t_cfg);
	write_ini("[bus b]\ntype = rtu\x01\x1b[2J\ndevice = /dev/x\n"
	    "\xc2\x9bk\x7f = 1\n\xff\xfe = 2\n"
	    "[meter K\xc3\xbc" "che]\nbus = b\naddress = 1\n");
	T_EQ_INT(config_load_each(&t_cfg, t_path, t_collect, &c, &e), -1);
	T_CONTAINS(e.msg, "type = 'rtu\\x01\\x1B[2J'");
	T_CONTAINS(c.all, "type = 'rtu\\x01\\x1B[2J'");
	T_CONTAINS(c.all, "unknown key '\\xC2\\x9Bk\\x7F'");
	T_CONTAINS(c.all, "unknown key '\\xFF\\xFE'");
	/* valid UTF-8 passes as it is */
	T_CONTAINS(c.all, "'[meter K\xc3\xbc" "che]': bad meter name");
	for (i = 0; c.all[i] != '\0'; i++)
		if ((unsigned char)c.all[i] < 0x20 && c.all[i] != '\n')
			T_FAIL_("raw byte 0x%02x at %zu", c.all[i], i);
	for (i = 0; e.msg[i] != '\0'; i++)
		if ((unsigned char)e.msg[i] < 0x20 && e.msg[i] != '\n')
			T_FAIL_("raw byte 0x%02x at %zu", e.msg[i], i);
}

/*
 * Issue 8: a FIFO or a device given as the file is refused at once (exit
 * 66, naming it) instead of hanging the reader; a huge file is refused.
 */
static void
test_config__only_regular_files(void)
{
	struct err	 e;
	char		 fifo[300];
	FILE		*fp;

	alarm(20);	/* the reader used to hang here: a deadline, not a hang */
	snprintf(fifo, sizeof fifo, "%s/fifo.ini", t_dir);
	T_EQ_INT(mkfifo(fifo, 0600), 0);
	memset(&e, 0, sizeof e);
	config_free(&t_cfg);
	T_EQ_INT(config_load(&t_cfg, fifo, &e), -1);
	T_EQ_INT(e.code, EXIT_NOINPUT);
	T_CONTAINS(e.msg, "fifo.ini: a FIFO, not a regular file");
	unlink(fifo);
	T_EQ_INT(config_load(&t_cfg, "/dev/zero", &e), -1);
	T_EQ_INT(e.code, EXIT_NOINPUT);
	T_CONTAINS(e.msg, "/dev/zero: a character device, not a regular file");
	T_EQ_INT(config_load(&t_cfg, "/dev/urandom", &e), -1);
	T_EQ_INT(e.code, EXIT_NOINPUT);
	/* a regular file larger than any configuration */
	write_ini("");
	T_OK((fp = fopen(t_path, "w")) != NULL);
	if (fp != NULL) {
		T_EQ_INT(fseek(fp, CONFIG_MAX_BYTES, SEEK_SET), 0);
		fputc('\n', fp);
		fclose(fp);
	}
	T_EQ_INT(config_load(&t_cfg, t_path, &e), -1);
	T_EQ_INT(e.code, EXIT_CONFIG);
	T_CONTAINS(e.msg, "a configuration file is at most 1048576 bytes");
	alarm(0);
}

int
main(void)
{
	if (mkdtemp(t_dir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	config_init(&t_cfg);
	T_RUN(test_config__char_us);
	T_RUN(test_config__parity_name);
	T_RUN(test_config__defaults);
	T_RUN(test_config__every_key);
	T_RUN(test_config__writes_spellings);
	T_RUN(test_config__reader_details);
	T_RUN(test_config__value_with_semicolon_glued);
	T_RUN(test_config__errors_name_line_key_value);
	T_RUN(test_config__numbers);
	T_RUN(test_config__several_errors);
	T_RUN(test_config__very_long_line);
	T_RUN(test_config__names);
	T_RUN(test_config__limits);
	T_RUN(test_config__reload_and_codes);
	T_RUN(test_config__find);
	T_RUN(test_config__every_error_in_one_run);
	T_RUN(test_config__control_bytes_escaped);
	T_RUN(test_config__only_regular_files);
	config_free(&t_cfg);
	{
		char cmd[64];

		snprintf(cmd, sizeof cmd, "rm -rf %s", t_dir);
		if (system(cmd) != 0)
			perror(cmd);
	}
	return t_done();
}
