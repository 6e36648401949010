/*
 * test-prometheus.c: the exposition text (prom_format) from a model set by
 * hand, the freshness rule (meter_fresh) at its boundary, and the listen
 * address parser. The engine is made but never started: no bus traffic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "conf.h"
#include "engine.h"
#include "meter.h"
#include "prometheus.h"
#include "t.h"

static struct config	 cfg;
static struct engine	*eng;
static struct ev_loop	*loop;

/* Load a config of three meters on one TCP bus (never connected). */
static int
setup(void)
{
	char		 path[] = "/tmp/test-prometheus.XXXXXX";
	struct err	 e = { .code = 0 };
	FILE		*fp;
	int		 fd;

	if ((fd = mkstemp(path)) == -1 || (fp = fdopen(fd, "w")) == NULL)
		return -1;
	fputs("[bus gw]\ntype = tcp\nhost = 127.0.0.1\nport = 1\n"
	    "timeout_ms = 300\n"
	    "[meter a]\nbus = gw\naddress = 1\npoll_ms = 1000\n"
	    "[meter b]\nbus = gw\naddress = 2\npoll_ms = 1000\n"
	    "[meter c]\nbus = gw\naddress = 3\npoll_ms = 1000\n"
	    "[prometheus]\nlisten = 127.0.0.1:9534\n", fp);
	fclose(fp);
	config_init(&cfg);
	if (config_load(&cfg, path, &e) == -1) {
		printf("# %s\n", e.msg);
		unlink(path);
		return -1;
	}
	unlink(path);
	loop = ev_default_loop(0);
	if ((eng = engine_new(loop, &cfg, &e)) == NULL) {
		printf("# %s\n", e.msg);
		return -1;
	}
	return 0;
}

/* A meter whose last cycle (at now) was ok, an identified E34. */
static struct meter *
meter_ok(int i, int64_t now)
{
	struct meter	*m = (struct meter *)engine_meter(eng, i);

	m->status = MS_OK;
	m->ident.done = 1;
	m->ident.is_e34 = 1;
	m->last_ok_ms = m->last_cycle_ms = now;
	return m;
}

static void
store(struct meter *m, enum reg_id id, int64_t raw, int64_t now)
{
	struct reg_value	v;

	memset(&v, 0, sizeof v);
	v.valid = 1;
	v.raw = raw;
	meter_store(m, id, &v, now, 1700000000000);
}

/* The line starting with prefix, copied into buf, or "" */
static const char *
line_of(const char *text, const char *prefix, char *buf, size_t len)
{
	const char	*p = text;
	size_t		 n;

	buf[0] = '\0';
	while (p != NULL && *p != '\0') {
		n = strcspn(p, "\n");
		if (strncmp(p, prefix, strlen(prefix)) == 0) {
			snprintf(buf, len, "%.*s", (int)n, p);
			break;
		}
		p += n + (p[n] == '\n');
	}
	return buf;
}

/* Every sample's family has one HELP and one TYPE, before its samples. */
static void
assert_sane_exposition(const char *text)
{
	char		 fam[128][96], name[96];
	const char	*p = text;
	int		 nfam = 0, i, found;
	size_t		 n;

	while (*p != '\0') {
		n = strcspn(p, "\n");
		if (strncmp(p, "# TYPE ", 7) == 0 && nfam < 128) {
			sscanf(p + 7, "%95s", fam[nfam++]);
		} else if (p[0] != '#') {
			snprintf(name, sizeof name, "%.*s",
			    (int)strcspn(p, "{ "), p);
			for (found = 0, i = 0; i < nfam; i++)
				found |= strcmp(fam[i], name) == 0;
			if (!found)
				T_FAIL_("sample without TYPE: %.*s", (int)n, p);
		}
		T_OK(strstr(p, "=\"total\"") == NULL ||
		    strstr(p, "=\"total\"") > p + n);
		p += n + (p[n] == '\n');
	}
}

static void
test_prometheus__values_exact_and_stale_dropped(void)
{
	struct prom_buf	 b;
	int64_t		 now = 500000, last_ok[3] = { 1700000000123, 0, 0 };
	struct meter	*a, *bm, *c;
	char		 l[256];

	memset(&b, 0, sizeof b);
	a = meter_ok(0, now);
	store(a, REG_EA_PLUS_TOTAL_10WH, 4294967294LL, now);	/* max valid */
	store(a, REG_EA_PLUS_T2_10WH, 1, now);
	store(a, REG_P, -123, now);
	store(a, REG_PF1, -500, now);
	store(a, REG_V1, 23001, now);
	snprintf(a->ident.ext_name, sizeof a->ident.ext_name, "E\"3\\4");
	bm = meter_ok(1, now - 2 * 1000 - 300 - 1);	/* just too old */
	store(bm, REG_V1, 23000, now - 2300);
	c = meter_ok(2, now);
	c->ident.is_e34 = 0;				/* foreign */
	c->status = MS_NOT_E34;
	store(c, REG_V1, 23000, now);

	T_EQ_INT(prom_format(&b, eng, last_ok, now), 0);
	assert_sane_exposition(b.s);
	T_EQ_STR(line_of(b.s, "countis_energy_active_import_joules_total{meter=\"a\"",
	    l, sizeof l), "countis_energy_active_import_joules_total{meter=\"a\","
	    "bus=\"gw\",address=\"1\"} 154618822584000");
	T_EQ_STR(line_of(b.s, "countis_energy_active_import_tariff_joules_total{",
	    l, sizeof l), "countis_energy_active_import_tariff_joules_total{"
	    "meter=\"a\",bus=\"gw\",address=\"1\",tariff=\"2\"} 36000");
	T_EQ_STR(line_of(b.s, "countis_active_power_watts{", l, sizeof l),
	    "countis_active_power_watts{meter=\"a\",bus=\"gw\",address=\"1\"} "
	    "-1230");
	T_EQ_STR(line_of(b.s, "countis_phase_power_factor{", l, sizeof l),
	    "countis_phase_power_factor{meter=\"a\",bus=\"gw\",address=\"1\","
	    "phase=\"L1\"} -0.500");
	T_EQ_STR(line_of(b.s, "countis_voltage_volts{", l, sizeof l),
	    "countis_voltage_volts{meter=\"a\",bus=\"gw\",address=\"1\","
	    "phase=\"L1\"} 230.01");
	T_EQ_STR(line_of(b.s, "countis_meter_up{meter=\"a\"}", l, sizeof l),
	    "countis_meter_up{meter=\"a\"} 1");
	T_EQ_STR(line_of(b.s, "countis_meter_up{meter=\"b\"}", l, sizeof l),
	    "countis_meter_up{meter=\"b\"} 0");
	T_EQ_STR(line_of(b.s, "countis_meter_up{meter=\"c\"}", l, sizeof l),
	    "countis_meter_up{meter=\"c\"} 0");
	T_CONTAINS(line_of(b.s, "countis_meter_info{meter=\"a\"", l, sizeof l),
	    "model=\"E\\\"3\\\\4\"");
	T_EQ_STR(line_of(b.s, "countis_meter_last_success_timestamp_seconds{",
	    l, sizeof l), "countis_meter_last_success_timestamp_seconds{"
	    "meter=\"a\"} 1700000000.123");
	/* stale b and foreign c: no value series, but up and info */
	T_EQ_STR(line_of(b.s, "countis_voltage_volts{meter=\"b\"", l, sizeof l),
	    "");
	T_EQ_STR(line_of(b.s, "countis_voltage_volts{meter=\"c\"", l, sizeof l),
	    "");
	T_CONTAINS(b.s, "countis_meter_info{meter=\"b\"");
	T_CONTAINS(b.s, "countis_bus_errors_total{bus=\"gw\",reason=\"crc\"} 0");
	prom_buf_release(&b);
}

static void
test_meter__fresh_boundary(void)
{
	struct meter	*m = meter_ok(0, 10000);

	T_EQ_INT(meter_fresh(m, 10000 + 2 * 1000 + 300, 1000, 300), 1);
	T_EQ_INT(meter_fresh(m, 10000 + 2 * 1000 + 301, 1000, 300), 0);
	/* a slower bus stretches the period; poll_ms is the floor */
	T_EQ_INT(meter_fresh(m, 10000 + 2 * 5000, 5000, 0), 1);
	T_EQ_INT(meter_fresh(m, 10000 + 2 * 1000 + 300, 10, 300), 1);
	m->status = MS_TIMEOUT;
	T_EQ_INT(meter_fresh(m, 10000, 1000, 300), 0);
	m->status = MS_OK;
	m->offline = 1;
	T_EQ_INT(meter_fresh(m, 10000, 1000, 300), 0);
	m->offline = 0;
	T_EQ_INT(meter_fresh(NULL, 10000, 1000, 300), 0);
}

static void
test_config__listen_parse(void)
{
	const char	*why = NULL;
	char		 host[64];
	int		 port = 0;

	T_EQ_INT(config_listen_parse("127.0.0.1:9534", host, sizeof host,
	    &port, &why), 0);
	T_EQ_STR(host, "127.0.0.1");
	T_EQ_INT(port, 9534);
	T_EQ_INT(config_listen_parse("[::1]:65535", host, sizeof host, &port,
	    &why), 0);
	T_EQ_STR(host, "::1");
	T_EQ_INT(port, 65535);
	T_EQ_INT(config_listen_parse("::1:9534", host, sizeof host, &port,
	    &why), -1);
	T_EQ_INT(config_listen_parse(":9534", host, sizeof host, &port, &why),
	    -1);
	T_EQ_INT(config_listen_parse("127.0.0.1:0", host, sizeof host, &port,
	    &why), -1);
	T_EQ_INT(config_listen_parse("127.0.0.1:65536", host, sizeof host,
	    &port, &why), -1);
	T_EQ_INT(config_listen_parse("127.0.0.1:", host, sizeof host, &port,
	    &why), -1);
	T_EQ_INT(config_listen_parse("127.0.0.1:+80", host, sizeof host, &port,
	    &why), -1);
	T_EQ_INT(config_listen_parse("localhost:80", host, sizeof host, &port,
	    &why), -1);
	T_CONTAINS(why, "numeric");
}

int
main(void)
{
	if (setup() == -1) {
		printf("Bail out! setup\n");
		return 1;
	}
	T_RUN(test_prometheus__values_exact_and_stale_dropped);
	T_RUN(test_meter__fresh_boundary);
	T_RUN(test_config__listen_parse);
	engine_free(eng);
	config_free(&cfg);
	return t_done();
}
