/*
 * test-poll.c: the poll plan (built from the register map: requests of at
 * most 125 defined, readable words, every wanted register covered), wire
 * times, identification checks, the write guard, and the scan's defaults;
 * then the scheduling on a live countis-sim (a real pty and control socket):
 * a meter that stops answering goes offline after 3 cycles and is probed
 * with back-off while its neighbour keeps its refresh, it is identified
 * again when it comes back, a serial device that vanishes is reopened,
 * guarded writes of the tariff and the clock reach a meter and read back,
 * a TCP gateway that goes away is reconnected, and the steady-state poll
 * cycle allocates nothing (the program's own malloc, calloc and realloc
 * are counted: this test links with -Wl,--wrap=, see mk/engine.am).
 * The headless modes are tested by tests/sh/{csv,scan,engine}-*.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ev.h>

#include "bus.h"
#include "engine.h"
#include "pollplan.h"
#include "scan.h"
#include "t.h"

static char	bname[] = "b", dev[] = "/dev/null", host[] = "127.0.0.1";

/* Heap calls of the program's own code (the library and this file). */
static unsigned long	t_allocs;
void	*__real_malloc(size_t);
void	*__real_calloc(size_t, size_t);
void	*__real_realloc(void *, size_t);
void	*__wrap_malloc(size_t);
void	*__wrap_calloc(size_t, size_t);
void	*__wrap_realloc(void *, size_t);

void *
__wrap_malloc(size_t n)
{
	__atomic_add_fetch(&t_allocs, 1, __ATOMIC_RELAXED);
	return __real_malloc(n);
}

void *
__wrap_calloc(size_t n, size_t size)
{
	__atomic_add_fetch(&t_allocs, 1, __ATOMIC_RELAXED);
	return __real_calloc(n, size);
}

void *
__wrap_realloc(void *p, size_t n)
{
	__atomic_add_fetch(&t_allocs, 1, __ATOMIC_RELAXED);
	return __real_realloc(p, n);
}

static unsigned long
allocs(void)
{
	return __atomic_load_n(&t_allocs, __ATOMIC_RELAXED);
}

static struct bus_conf
rtu(int baud, char parity, int stop)
{
	struct bus_conf	b = { .name = bname, .type = BUS_RTU, .device = dev,
		.baud = baud, .parity = parity, .stop_bits = stop,
		.timeout_ms = 300 };

	return b;
}

/* Invariants of a set: sorted, disjoint, <= 125 words, all readable. */
static void
assert_sane_set(const struct poll_set *s)
{
	const struct poll_req	*r;
	const struct reg_def	*d;
	int			 i, j, words = 0;

	T_OK(s->nreq > 0);
	for (i = 0; i < s->nreq; i++) {
		r = &s->req[i];
		T_OK(r->count >= 1 && r->count <= POLL_MAX_WORDS);
		T_OK(regmap_e34_readable(r->addr, r->count));
		if (i > 0)
			T_OK(r->addr >= s->req[i - 1].addr +
			    s->req[i - 1].count);
		T_OK(r->nids > 0);
		for (j = 0; j < r->nids; j++) {
			d = regmap_get(r->ids[j]);
			T_OK(d->addr >= r->addr &&
			    d->addr + d->count <= r->addr + r->count);
		}
		words += r->count;
	}
	T_EQ_INT(s->words, words);
}

static int
covered(const struct poll_set *s, enum reg_id id)
{
	int	i, j;

	for (i = 0; i < s->nreq; i++)
		for (j = 0; j < s->req[i].nids; j++)
			if (s->req[i].ids[j] == id)
				return 1;
	return 0;
}

static void
test_poll__plan_sane(void)
{
	struct poll_plan	p;
	struct err		e;

	T_EQ_INT(poll_plan_init(&p, &e), 0);
	assert_sane_set(&p.fast);
	assert_sane_set(&p.slow);
	assert_sane_set(&p.info);
	assert_sane_set(&p.magic);
	assert_sane_set(&p.name);
	T_EQ_INT(p.magic.nreq, 1);
	T_EQ_INT(p.magic.req[0].addr, regmap_get(REG_SOCO_MAGIC)->addr);
	T_EQ_INT(p.magic.req[0].count, 4);
	T_EQ_INT(p.name.req[0].addr, regmap_get(REG_EXTENDED_NAME)->addr);
	T_EQ_INT(p.name.req[0].count, 8);
}

/* Every CSV column comes from the fast set, in three requests. */
static void
test_poll__fast_covers_csv(void)
{
	static const enum reg_id csv[] = { REG_EA_PLUS_TOTAL_10WH,
		REG_EA_PLUS_T1_10WH, REG_EA_PLUS_T2_10WH, REG_EA_PLUS_T3_10WH,
		REG_EA_PLUS_T4_10WH, REG_TARIFF_ACTIVE_B, REG_P, REG_Q, REG_S,
		REG_PF, REG_V1, REG_V2, REG_V3, REG_U12, REG_U23, REG_U31,
		REG_I1, REG_I2, REG_I3, REG_IN, REG_F, REG_P1, REG_P2, REG_P3,
		REG_PF1, REG_PF2, REG_PF3, REG_ER_PLUS_TOTAL_10VARH };
	struct poll_plan	p;
	struct err		e;
	size_t			i;

	poll_plan_init(&p, &e);
	for (i = 0; i < sizeof csv / sizeof csv[0]; i++)
		T_OK(covered(&p.fast, csv[i]));
	T_EQ_INT(p.fast.nreq, 3);
	/* the reserved Isys/Usys/Vsys words after PF3 are never read */
	T_OK(!covered(&p.fast, REG_I_SYS));
	T_EQ_INT(p.fast.req[0].addr, regmap_get(REG_U12)->addr);
	T_EQ_INT(p.fast.req[0].addr + p.fast.req[0].count,
	    regmap_get(REG_PF3)->addr + 2);
}

/* Contiguous rows merge; a gap splits; 125 words cap a request. */
static void
test_poll__merge_rules(void)
{
	static const enum reg_id gap[] = { REG_EA_PLUS_TOTAL_10WH,
		REG_EA_MINUS_TOTAL_10WH };	/* 0xC702, 0xC708: gap between */
	static const enum reg_id two[] = { REG_V1, REG_V2 };
	static const enum reg_id bad[] = { REG_I_SYS };	/* family only */
	static const enum reg_id lc[] = { REG_LC_RECORD_COUNT,
		REG_LC_REC0_VALUE, REG_LC_RECORDS_1_28 };
	struct poll_set		s;
	struct err		e;

	T_EQ_INT(poll_set_build(&s, "t", gap, 2, POLL_BRIDGE_MAX, &e), 0);
	T_EQ_INT(s.nreq, 2);
	T_EQ_INT(poll_set_build(&s, "t", two, 2, 0, &e), 0);
	T_EQ_INT(s.nreq, 1);
	T_EQ_INT(s.req[0].count, 4);
	T_EQ_INT(poll_set_build(&s, "t", bad, 1, 0, &e), -1);
	T_CONTAINS(e.msg, "I_sys");
	/* 0xF010 .. 0xF089 is 122 words: one request, 8 defined words bridged */
	T_EQ_INT(poll_set_build(&s, "t", lc, 3, POLL_BRIDGE_MAX, &e), 0);
	T_EQ_INT(s.nreq, 1);
	T_EQ_INT(s.req[0].count, 122);
	T_OK(covered(&s, REG_LC_REC0_DATE));	/* bridged rows are decoded */
	/* without 0xF019, 9 words separate the rows: not bridged */
	T_EQ_INT(poll_set_build(&s, "t", (const enum reg_id[]){
	    REG_LC_RECORD_COUNT, REG_LC_RECORDS_1_28 }, 2, POLL_BRIDGE_MAX,
	    &e), 0);
	T_EQ_INT(s.nreq, 2);
}

static void
test_poll__wire_time(void)
{
	struct bus_conf	b = rtu(19200, 'N', 1);
	struct bus_conf	f = rtu(38400, 'E', 1);
	struct bus_conf	t = { .name = bname, .type = BUS_TCP, .host = host,
		.port = 502, .timeout_ms = 300 };

	T_EQ_INT(bus_char_us(&b), 521);		/* 10 bits at 19200 */
	T_EQ_INT(poll_t35_us(&b), 1824);	/* 3.5 characters */
	T_EQ_INT(poll_t35_us(&f), 1750);	/* fixed above 19200 */
	/* request 8 + answer 5 + 2 characters, two silent intervals */
	T_EQ_INT(poll_req_wire_us(&b, 1), 15 * 521 + 2 * 1824);
	T_EQ_INT(poll_req_wire_us(&b, 125), 263 * 521 + 2 * 1824);
	T_EQ_INT(engine_round_wire_us(&b, 10),
	    10 * engine_round_wire_us(&b, 1));
	T_OK(engine_round_wire_us(&b, 1) > 90000 &&
	    engine_round_wire_us(&b, 1) < 110000);
	T_EQ_INT(engine_round_wire_us(&t, 5), 0);
	b = rtu(9600, 'N', 2);
	T_EQ_INT(bus_char_us(&b), 1146);	/* 11 bits at 9600 */
}

static void
test_poll__plan_printout(void)
{
	struct bus_conf	b = rtu(19200, 'N', 1);
	char		*buf = NULL;
	size_t		 len = 0;
	FILE		*fp = open_memstream(&buf, &len);

	engine_print_plan(&b, fp);
	fclose(fp);
	T_CONTAINS(buf, "19200 baud 8N1");
	T_CONTAINS(buf, "0xC552 x54");
	T_CONTAINS(buf, " U12 U23 U31 V1");
	T_CONTAINS(buf, "0xC800 x10");
	T_CONTAINS(buf, "Ea_plus_T4_10Wh");
	T_CONTAINS(buf, "0xE100 x6");
	T_CONTAINS(buf, "0xC350 x4");
	T_OK(strstr(buf, "0xC588") == NULL);
	free(buf);
}

static void
name_words(const char *s, uint16_t *w, int n)
{
	char	b[64];
	int	i;

	memset(b, 0, sizeof b);
	memcpy(b, s, strlen(s));
	for (i = 0; i < n; i++)
		w[i] = (uint16_t)(((unsigned char)b[2 * i] << 8) |
		    (unsigned char)b[2 * i + 1]);
}

static void
test_poll__ident(void)
{
	uint16_t	soco[4] = { 'S', 'O', 'C', 'O' };
	uint16_t	bad[4] = { 'S', 'O', 'C', 'A' };
	uint16_t	w[8];
	char		out[24];

	T_OK(poll_ident_magic_ok(soco, 4));
	T_OK(!poll_ident_magic_ok(bad, 4));
	T_OK(!poll_ident_magic_ok(soco, 3));
	name_words("COUNTIS E34", w, 8);
	T_OK(poll_ident_name_ok(w, 8, out, sizeof out));
	T_EQ_STR(out, "COUNTIS E34");
	name_words(" countis e34 MID", w, 8);
	T_OK(poll_ident_name_ok(w, 8, out, sizeof out));
	T_EQ_STR(out, "countis e34 MID");
	name_words("COUNTIS E44", w, 8);
	T_OK(!poll_ident_name_ok(w, 8, out, sizeof out));
	name_words("COUNTIS E3", w, 8);
	T_OK(!poll_ident_name_ok(w, 8, out, sizeof out));
	name_words("DIRIS A40", w, 8);
	T_OK(!poll_ident_name_ok(w, 8, NULL, 0));
}

static void
test_bus__write_guard(void)
{
	struct err	e;
	int		tariff = regmap_get(REG_SET_TARIFF)->addr;
	int		day = regmap_get(REG_DAY)->addr;
	int		lc = regmap_get(REG_LC_COMMAND)->addr;
	int		act = regmap_get(REG_ACTION)->addr;
	int		rst = regmap_get(REG_RESET_ENERGIES)->addr;

	T_EQ_INT(bus_write_check(BUS_WRITE_OPERATOR, 1, 1, 5, tariff, 1, &e),
	    0);
	T_EQ_INT(bus_write_check(BUS_WRITE_OPERATOR, 1, 1, 5, day, 6, &e), 0);
	T_EQ_INT(bus_write_check(BUS_WRITE_OPERATOR, 0, 1, 5, tariff, 1, &e),
	    -1);
	T_CONTAINS(e.msg, "writes = off");
	T_EQ_INT(bus_write_check(BUS_WRITE_OPERATOR, 1, 0, 5, tariff, 1, &e),
	    -1);
	T_CONTAINS(e.msg, "not confirmed");
	T_EQ_INT(bus_write_check(BUS_WRITE_OPERATOR, 1, 1, 0, tariff, 1, &e),
	    -1);
	T_CONTAINS(e.msg, "broadcast");
	T_EQ_INT(bus_write_check(BUS_WRITE_OPERATOR, 1, 1, 5, act, 1, &e), -1);
	T_EQ_INT(bus_write_check(BUS_WRITE_OPERATOR, 1, 1, 5, rst, 1, &e), -1);
	T_CONTAINS(e.msg, "reset");
	T_EQ_INT(bus_write_check(BUS_WRITE_OPERATOR, 1, 1, 5,
	    regmap_get(REG_V1)->addr, 2, &e), -1);
	T_CONTAINS(e.msg, "not writable");
	/* the load-curve pointer: without the switch, and nothing else */
	T_EQ_INT(bus_write_check(BUS_WRITE_LC_POINTER, 0, 0, 5, lc, 1, &e), 0);
	T_EQ_INT(bus_write_check(BUS_WRITE_LC_POINTER, 0, 0, 5, tariff, 1,
	    &e), -1);
	T_EQ_INT(bus_write_check(BUS_WRITE_LC_POINTER, 0, 0, 0, lc, 1, &e),
	    -1);
}

/* A job with a write is guarded only when every write passes. */
static void
test_bus__job_guard(void)
{
	struct bus_job	*j = calloc(1, sizeof *j);
	struct err	 e;

	if (j == NULL)
		abort();
	j->unit = 5;
	j->nx = 2;
	j->x[0].addr = regmap_get(REG_LC_RECORD_COUNT)->addr;
	j->x[0].count = 122;
	j->x[1].write = 1;
	j->x[1].addr = regmap_get(REG_LC_COMMAND)->addr;
	j->x[1].count = 1;
	T_EQ_INT(bus_job_guard(j, BUS_WRITE_LC_POINTER, 0, 0, &e), 0);
	T_OK(j->guarded);
	j->x[1].addr = regmap_get(REG_RESET_ENERGIES)->addr;
	T_EQ_INT(bus_job_guard(j, BUS_WRITE_LC_POINTER, 1, 1, &e), -1);
	T_OK(!j->guarded);
	free(j);
}

/* The engine refuses writes before anything reaches a bus. */
static void
test_engine__writes_refused(void)
{
	struct ev_loop	*loop = ev_loop_new(EVFLAG_AUTO);
	struct config	*cfg = calloc(1, sizeof *cfg);
	struct engine	*eng;
	struct err	 e;
	struct engine_op op;
	static char	 mname[] = "m";
	const int	 clock[6] = { 25, 11, 2026, 6, 30, 0 };
	const int	 bad[6] = { 32, 11, 2026, 6, 30, 0 };

	if (cfg == NULL || loop == NULL)
		abort();
	config_init(cfg);
	cfg->buses[0] = rtu(19200, 'N', 1);
	cfg->nbuses = 1;
	cfg->meters[0].name = cfg->meters[0].label = mname;
	cfg->meters[0].bus = 0;
	cfg->meters[0].address = 5;
	cfg->meters[0].poll_ms = 1000;
	cfg->nmeters = 1;
	eng = engine_new(loop, cfg, &e);
	T_OK(eng != NULL);
	if (eng == NULL)
		return;
	T_EQ_INT(engine_nmeters(eng), 1);
	T_EQ_INT(engine_bus(eng, 0)->nmeters, 1);
	T_EQ_INT(engine_bus(eng, 0)->wanted_ms, 1000);
	T_EQ_INT(engine_bus(eng, 0)->wire_round_us,
	    engine_round_wire_us(&cfg->buses[0], 1));
	T_EQ_INT(engine_write_tariff(eng, 0, 2, 1, NULL, NULL, &e), -1);
	T_CONTAINS(e.msg, "writes = off");
	cfg->writes = 1;
	T_EQ_INT(engine_write_tariff(eng, 0, 5, 1, NULL, NULL, &e), -1);
	T_CONTAINS(e.msg, "tariff 5");
	T_EQ_INT(engine_write_tariff(eng, 0, 2, 0, NULL, NULL, &e), -1);
	T_CONTAINS(e.msg, "not confirmed");
	T_EQ_INT(engine_write_clock(eng, 0, bad, 1, NULL, NULL, &e), -1);
	T_CONTAINS(e.msg, "day 32");
	/* passes the guard, but the engine is not started: still refused */
	T_EQ_INT(engine_write_clock(eng, 0, clock, 1, NULL, NULL, &e), -1);
	T_CONTAINS(e.msg, "not running");
	memset(&op, 0, sizeof op);
	op.write = 1;
	op.addr = regmap_get(REG_SET_TARIFF)->addr;
	op.count = 1;
	T_EQ_INT(engine_submit_ops(eng, 0, &op, 1, NULL, NULL, &e), -1);
	T_CONTAINS(e.msg, "load-curve command");
	op.write = 0;
	op.addr = regmap_get(REG_I_SYS)->addr;	/* reserved on an E34 */
	op.count = 2;
	T_EQ_INT(engine_submit_ops(eng, 0, &op, 1, NULL, NULL, &e), -1);
	T_CONTAINS(e.msg, "not readable");
	engine_free(eng);
	free(cfg);
	ev_loop_destroy(loop);
}

static void
test_scan__defaults(void)
{
	struct scan_params	p;
	struct err		e;
	char			buf[64];

	memset(&p, 0, sizeof p);
	p.type = BUS_RTU;
	p.baud = 19200;
	p.parity = 'N';
	p.stop_bits = 1;
	T_EQ_INT(scan_default_timeout_ms(&p), 28);
	p.baud = 9600;
	T_EQ_INT(scan_default_timeout_ms(&p), 50);
	p.type = BUS_TCP;
	T_EQ_INT(scan_default_timeout_ms(&p), 1000);
	T_EQ_INT(scan_parse_target("/dev/ttyUSB0", buf, sizeof buf, &p, &e),
	    0);
	T_EQ_INT(p.type, BUS_RTU);
	T_EQ_STR(p.device, "/dev/ttyUSB0");
	T_EQ_INT(scan_parse_target("gw.example:1502", buf, sizeof buf, &p,
	    &e), 0);
	T_EQ_INT(p.type, BUS_TCP);
	T_EQ_STR(p.host, "gw.example");
	T_EQ_INT(p.port, 1502);
	T_EQ_INT(scan_parse_target("10.0.0.7", buf, sizeof buf, &p, &e), 0);
	T_EQ_INT(p.port, 502);
	T_EQ_INT(scan_parse_target("host:0", buf, sizeof buf, &p, &e), -1);
	T_EQ_INT(e.code, EXIT_USAGE);
	T_EQ_INT(scan_parse_target("", buf, sizeof buf, &p, &e), -1);
}


/* The live scheduling test: a simulator, a loop, and conditions polled. */
struct live {
	struct ev_loop	*loop;
	struct engine	*eng;
	char		 dir[64];
	char		 link[96], ctl[96], log[96];
	pid_t		 sim;
	int		 port;		/* TCP when > 0 */
	uint64_t	 cycles[2];
	int		 (*until)(struct live *);
	ev_timer	 tick, deadline;
	int		 met;
};

static void
live_cycle_cb(void *arg, const struct meter *m)
{
	struct live	*lv = arg;

	if (m->index < 2)
		lv->cycles[m->index]++;
}

static void
live_tick_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct live	*lv = w->data;

	(void)revents;
	if (lv->until != NULL && lv->until(lv)) {
		lv->met = 1;
		ev_break(loop, EVBREAK_ALL);
	}
}

static void
live_deadline_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)w;
	(void)revents;
	ev_break(loop, EVBREAK_ALL);
}

/* Run the loop until cond holds (checked every 20 ms) or secs pass. */
static int
live_run(struct live *lv, int (*cond)(struct live *), double secs)
{
	lv->until = cond;
	lv->met = 0;
	ev_timer_init(&lv->tick, live_tick_cb, 0.02, 0.02);
	ev_timer_init(&lv->deadline, live_deadline_cb, secs, 0.);
	lv->tick.data = lv;
	ev_timer_start(lv->loop, &lv->tick);
	ev_timer_start(lv->loop, &lv->deadline);
	ev_run(lv->loop, 0);
	ev_timer_stop(lv->loop, &lv->tick);
	ev_timer_stop(lv->loop, &lv->deadline);
	return lv->met;
}

static int
live_never(struct live *lv)
{
	(void)lv;
	return 0;
}

/* 1 when the simulator's log says it serves. */
static int
live_sim_serving(const struct live *lv)
{
	char	buf[512];
	FILE	*fp = fopen(lv->log, "r");
	int	found = 0;

	while (fp != NULL && !found && fgets(buf, sizeof buf, fp) != NULL)
		found = strstr(buf, "serving") != NULL;
	if (fp != NULL)
		fclose(fp);
	return found;
}

/*
 * Start countis-sim with a control socket, on the pty lv->link, or on TCP
 * port lv->port when set; 0 when it serves.
 */
static int
live_sim_start(struct live *lv)
{
	extern char	**environ;
	const char	*bd = getenv("BUILDDIR");
	char		 sim[256], where[64];
	char		*argv[] = { sim, (char *)"--pty", lv->link, (char *)"--units",
			    (char *)"1,2", (char *)"--seed", (char *)"4",
			    (char *)"--control", lv->ctl, NULL };
	posix_spawn_file_actions_t fa;
	int		 i;

	if (lv->port > 0) {
		snprintf(where, sizeof where, "127.0.0.1:%d", lv->port);
		argv[1] = (char *)"--tcp";
		argv[2] = where;
	}
	unlink(lv->log);

	snprintf(sim, sizeof sim, "%s/countis-sim", bd != NULL ? bd : ".");
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 2, lv->log,
	    O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (posix_spawn(&lv->sim, sim, &fa, NULL, argv, environ) != 0)
		lv->sim = -1;
	posix_spawn_file_actions_destroy(&fa);
	for (i = 0; lv->sim > 0 && i < 400; i++) {	/* 20 s */
		if (access(lv->ctl, F_OK) == 0 && (lv->port > 0 ?
		    live_sim_serving(lv) : access(lv->link, F_OK) == 0))
			return 0;
		usleep(50000);
	}
	return -1;
}

static void
live_sim_stop(struct live *lv)
{
	if (lv->sim <= 0)
		return;
	kill(lv->sim, SIGTERM);
	waitpid(lv->sim, NULL, 0);
	lv->sim = -1;
}

/* Send one control line ("2 dead"); 0 when the simulator said ok. */
static int
live_ctl(struct live *lv, const char *line)
{
	struct sockaddr_un	sa;
	char			buf[256];
	ssize_t			n;
	int			fd, rc = -1;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", lv->ctl);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
	    write(fd, line, strlen(line)) == (ssize_t)strlen(line) &&
	    write(fd, "\n", 1) == 1 && (n = read(fd, buf, sizeof buf - 1)) > 0) {
		buf[n] = '\0';
		rc = strncmp(buf, "ok", 2) == 0 ? 0 : -1;
	}
	close(fd);
	return rc;
}

static int
live_both_ok(struct live *lv)
{
	return lv->cycles[0] >= 3 && lv->cycles[1] >= 3 &&
	    engine_meter(lv->eng, 0)->status == MS_OK &&
	    engine_meter(lv->eng, 1)->status == MS_OK;
}

static int
live_m2_offline(struct live *lv)
{
	return engine_meter(lv->eng, 1)->offline;
}

static int
live_m2_back(struct live *lv)
{
	const struct meter	*m = engine_meter(lv->eng, 1);

	return !m->offline && m->status == MS_OK;
}

static int
live_all_offline(struct live *lv)
{
	return engine_meter(lv->eng, 0)->offline &&
	    engine_meter(lv->eng, 1)->offline;
}

static int
live_all_back(struct live *lv)
{
	return engine_meter(lv->eng, 0)->status == MS_OK &&
	    !engine_meter(lv->eng, 0)->offline &&
	    engine_meter(lv->eng, 1)->status == MS_OK &&
	    !engine_meter(lv->eng, 1)->offline;
}

/* A config of two meters (units 1, 2, poll_ms 200) on lv's simulator. */
static struct config *
live_config(struct live *lv)
{
	static char	 n1[] = "m1", n2[] = "m2", bn[] = "line";
	static char	 lhost[] = "127.0.0.1";
	struct config	*cfg = calloc(1, sizeof *cfg);
	int		 i;

	if (cfg == NULL)
		abort();
	config_init(cfg);
	cfg->buses[0].name = bn;
	if (lv->port > 0) {
		cfg->buses[0].type = BUS_TCP;
		cfg->buses[0].host = lhost;
		cfg->buses[0].port = lv->port;
	} else
		cfg->buses[0].device = lv->link;
	cfg->buses[0].timeout_ms = 100;
	cfg->nbuses = 1;
	for (i = 0; i < 2; i++) {
		cfg->meters[i].name = cfg->meters[i].label = i ? n2 : n1;
		cfg->meters[i].bus = 0;
		cfg->meters[i].address = i + 1;
		cfg->meters[i].poll_ms = 200;
	}
	cfg->nmeters = 2;
	return cfg;
}

/* Set up dirs, simulator, loop and a started engine; 0 when all is up. */
static int
live_setup(struct live *lv, int tcp, struct config **cfgp)
{
	struct err		e;
	struct sockaddr_in	sin;
	socklen_t		sl = sizeof sin;
	int			fd;

	snprintf(lv->dir, sizeof lv->dir, "/tmp/test-poll.XXXXXX");
	if (mkdtemp(lv->dir) == NULL)
		abort();
	snprintf(lv->link, sizeof lv->link, "%s/line", lv->dir);
	snprintf(lv->ctl, sizeof lv->ctl, "%s/ctl", lv->dir);
	snprintf(lv->log, sizeof lv->log, "%s/sim.log", lv->dir);
	if (tcp) {	/* a port nothing listens on now */
		memset(&sin, 0, sizeof sin);
		sin.sin_family = AF_INET;
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd == -1 || bind(fd, (struct sockaddr *)&sin, sizeof sin) ||
		    getsockname(fd, (struct sockaddr *)&sin, &sl))
			abort();
		lv->port = ntohs(sin.sin_port);
		close(fd);
	}
	T_EQ_INT(live_sim_start(lv), 0);
	*cfgp = live_config(lv);
	lv->loop = ev_loop_new(EVFLAG_AUTO);
	lv->eng = engine_new(lv->loop, *cfgp, &e);
	T_OK(lv->eng != NULL);
	if (lv->sim <= 0 || lv->eng == NULL)
		return -1;
	engine_on_cycle(lv->eng, live_cycle_cb, lv);
	T_EQ_INT(engine_start(lv->eng, &e), 0);
	return 0;
}

static void
live_teardown(struct live *lv, struct config *cfg)
{
	engine_free(lv->eng);
	if (lv->loop != NULL)
		ev_loop_destroy(lv->loop);
	live_sim_stop(lv);
	unlink(lv->log);
	unlink(lv->ctl);
	rmdir(lv->dir);
	free(cfg);
}

static void
test_engine__offline_backoff_and_back(void)
{
	struct live		 lv;
	struct config		*cfg = NULL;
	const struct meter	*m1, *m2;
	uint64_t		 c1, r2, cyc2;

	memset(&lv, 0, sizeof lv);
	if (live_setup(&lv, 0, &cfg) == -1)
		goto out;
	m1 = engine_meter(lv.eng, 0);
	m2 = engine_meter(lv.eng, 1);

	T_OK(live_run(&lv, live_both_ok, 20));
	T_OK(m2->ident.done && m2->ident.is_e34);
	T_EQ_STR(m2->ident.ext_name, "COUNTIS E34");
	T_OK(m2->ident.serial[0] != '\0');
	T_EQ_INT(m2->ident.sw_version, 100);
	T_OK(engine_bus(lv.eng, 0)->connected);
	T_OK(engine_bus(lv.eng, 0)->round_us > 0);
	T_OK(engine_bus(lv.eng, 0)->achievable_ms > 0);

	/* meter 2 stops answering: offline after 3 failed cycles */
	T_EQ_INT(live_ctl(&lv, "2 dead"), 0);
	cyc2 = m2->cycles;
	T_OK(live_run(&lv, live_m2_offline, 10));
	T_EQ_INT(m2->cycles - cyc2 <= 4, 1);
	T_EQ_INT(m2->consecutive_fail, 3);
	T_EQ_INT(m2->status, MS_TIMEOUT);
	/* for 3.5 s: meter 1 keeps its 200 ms refresh; meter 2 gets probes
	 * at 1 s and 3 s (back-off), not a request per poll */
	c1 = lv.cycles[0];
	r2 = m2->stats.requests;
	live_run(&lv, live_never, 3.5);
	T_OK(lv.cycles[0] - c1 >= 12);
	T_OK(m2->stats.requests - r2 >= 1 && m2->stats.requests - r2 <= 3);
	T_OK(m2->offline);
	T_EQ_INT(m1->status, MS_OK);

	/* it comes back: picked up within one probe (<= 4 s), identified */
	T_EQ_INT(live_ctl(&lv, "2 clear"), 0);
	T_OK(live_run(&lv, live_m2_back, 10));
	T_OK(m2->ident.done && m2->ident.is_e34);
	T_EQ_INT(m2->consecutive_fail, 0);

	/* the device vanishes (simulator gone, pty closed, link removed) */
	live_sim_stop(&lv);
	T_OK(live_run(&lv, live_all_offline, 10));
	T_OK(!engine_bus(lv.eng, 0)->connected);
	T_CONTAINS(engine_bus(lv.eng, 0)->last_error, lv.link);
	T_OK(m1->status == MS_IO || m1->status == MS_TIMEOUT);
	/* and comes back at the same path: reopened, no restart needed */
	T_EQ_INT(live_sim_start(&lv), 0);
	T_OK(live_run(&lv, live_all_back, 40));
	T_OK(engine_bus(lv.eng, 0)->connected);
	T_EQ_STR(engine_bus(lv.eng, 0)->last_error, "");
out:
	live_teardown(&lv, cfg);
}

static int	live_write_rc = 99;
static int	live_ops_done;

static void
live_write_cb(void *arg, int rc, const char *msg)
{
	(void)arg;
	(void)msg;
	live_write_rc = rc;
}

static void
live_ops_cb(void *arg, struct engine_op *ops, int nops)
{
	(void)arg;
	(void)ops;
	(void)nops;
	live_ops_done = 1;
}

static int
live_write_done(struct live *lv)
{
	(void)lv;
	return live_write_rc != 99;
}

static int
live_ops_finished(struct live *lv)
{
	(void)lv;
	return live_ops_done;
}

static int
live_tariff_3(struct live *lv)
{
	int64_t	t;

	return meter_raw(engine_meter(lv->eng, 0), REG_TARIFF_ACTIVE_B, 0, 0,
	    &t) && t == 3;
}

/*
 * Guarded writes reach the meter: the tariff (FC06) and the clock (FC16,
 * six words, year as years since 2000), read back through the generic
 * transaction path.
 */
static void
live_writes(struct live *lv, struct config *cfg)
{
	const int		 clock[6] = { 25, 11, 2026, 6, 30, 0 };
	struct engine_op	 op;
	struct err		 e;

	cfg->writes = 1;
	live_write_rc = 99;
	T_EQ_INT(engine_write_tariff(lv->eng, 0, 3, 1, live_write_cb, NULL,
	    &e), 0);
	T_OK(live_run(lv, live_write_done, 10));
	T_EQ_INT(live_write_rc, 0);
	T_OK(live_run(lv, live_tariff_3, 10));
	live_write_rc = 99;
	T_EQ_INT(engine_write_clock(lv->eng, 0, clock, 1, live_write_cb, NULL,
	    &e), 0);
	T_OK(live_run(lv, live_write_done, 10));
	T_EQ_INT(live_write_rc, 0);
	memset(&op, 0, sizeof op);
	op.addr = regmap_get(REG_DAY)->addr;
	op.count = 6;
	live_ops_done = 0;
	T_EQ_INT(engine_submit_ops(lv->eng, 0, &op, 1, live_ops_cb, NULL, &e),
	    0);
	T_OK(live_run(lv, live_ops_finished, 10));
	T_EQ_INT(op.outcome, ST_ANSWER);
	T_EQ_INT(op.words[0], 25);
	T_EQ_INT(op.words[1], 11);
	T_EQ_INT(op.words[2], 26);	/* register map: years since 2000 */
	T_EQ_INT(op.words[3], 6);
	T_EQ_INT(op.words[4], 30);
	T_OK(op.words[5] <= 5);
	cfg->writes = 0;
	T_EQ_INT(engine_write_tariff(lv->eng, 0, 1, 1, live_write_cb, NULL,
	    &e), -1);
}

/* A TCP gateway goes away and comes back: reconnect, identify again. */
static void
test_engine__tcp_writes_and_reconnect(void)
{
	struct live		 lv;
	struct config		*cfg = NULL;
	const struct meter	*m1;
	uint64_t		 req;

	memset(&lv, 0, sizeof lv);
	if (live_setup(&lv, 1, &cfg) == -1)
		goto out;
	m1 = engine_meter(lv.eng, 0);
	T_OK(live_run(&lv, live_both_ok, 20));
	T_OK(engine_bus(lv.eng, 0)->connected);
	live_writes(&lv, cfg);
	live_sim_stop(&lv);
	T_OK(live_run(&lv, live_all_offline, 10));
	T_OK(!engine_bus(lv.eng, 0)->connected);
	T_CONTAINS(engine_bus(lv.eng, 0)->last_error, "127.0.0.1");
	T_OK(m1->status == MS_IO || m1->status == MS_TIMEOUT);
	/* while the gateway is away, the back-off keeps attempts rare */
	req = m1->stats.requests + engine_meter(lv.eng, 1)->stats.requests;
	live_run(&lv, live_never, 2.5);
	T_OK(m1->stats.requests + engine_meter(lv.eng, 1)->stats.requests -
	    req <= 4);
	T_EQ_INT(live_sim_start(&lv), 0);
	T_OK(live_run(&lv, live_all_back, 40));
	T_OK(engine_bus(lv.eng, 0)->connected);
	T_OK(m1->ident.done && m1->ident.is_e34);
out:
	live_teardown(&lv, cfg);
}

static uint64_t	live_want;

static int
live_20_more(struct live *lv)
{
	return lv->cycles[0] >= live_want && lv->cycles[1] >= live_want;
}

/*
 * Once both meters are identified and polled, 20 more cycles of each (poll
 * cycles, identification details, the engine's publishing, the bus worker)
 * call malloc, calloc or realloc not once.
 */
static void
test_engine__no_alloc_per_cycle(void)
{
	struct live	 lv;
	struct config	*cfg = NULL;
	unsigned long	 a0, a1;

	memset(&lv, 0, sizeof lv);
	if (live_setup(&lv, 1, &cfg) == -1)
		goto out;
	T_OK(live_run(&lv, live_both_ok, 20));
	live_want = (lv.cycles[0] > lv.cycles[1] ? lv.cycles[0] :
	    lv.cycles[1]) + 20;
	a0 = allocs();
	T_OK(live_run(&lv, live_20_more, 30));
	a1 = allocs();
	printf("# %llu and %llu cycles, %lu allocations in them\n",
	    (unsigned long long)lv.cycles[0], (unsigned long long)lv.cycles[1],
	    a1 - a0);
	T_EQ_INT(a1 - a0, 0);
	T_OK(engine_meter(lv.eng, 0)->status == MS_OK &&
	    engine_meter(lv.eng, 1)->status == MS_OK);
out:
	live_teardown(&lv, cfg);
}

int
main(void)
{
	T_RUN(test_poll__plan_sane);
	T_RUN(test_poll__fast_covers_csv);
	T_RUN(test_poll__merge_rules);
	T_RUN(test_poll__wire_time);
	T_RUN(test_poll__plan_printout);
	T_RUN(test_poll__ident);
	T_RUN(test_bus__write_guard);
	T_RUN(test_bus__job_guard);
	T_RUN(test_engine__writes_refused);
	T_RUN(test_scan__defaults);
	T_RUN(test_engine__offline_backoff_and_back);
	T_RUN(test_engine__tcp_writes_and_reconnect);
	T_RUN(test_engine__no_alloc_per_cycle);
	return t_done();
}
