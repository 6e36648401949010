/*
 * fuzz-decode.c: the response decoder, from raw register words to text.
 *
 * Input: 4 bytes of cycle state (which requests fail, how, connection
 * changes, buffer length), then big-endian register words as a slave would
 * answer.
 *  1. Every row of the register map is decoded from the words and printed
 *     with both decimal separators into a buffer of the fuzzed length.
 *  2. The engine's path: for up to six cycles, a poll result is made as
 *     the engine makes one (identification when the model asks for it,
 *     details, fast set, slow set); the words fill the answers of its
 *     requests in order (fast, slow, info, magic, name, as seeds.py wrote
 *     them), and the model applies it (meter_apply_cycle, or
 *     meter_apply_probe once the meter went offline). The meter is then
 *     judged and exported (CSV row in both dialects, MQTT state and
 *     discovery messages).
 *  3. fmt_fixed on fuzzed raw values and scales, checked against printf.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "err.h"
#include "csv.h"
#include "fuzz.h"
#include "meter.h"
#include "mqtt.h"
#include "pollplan.h"
#include "regdecode.h"
#include "regmap.h"

#define MAXW	4096

static struct poll_plan	plan;
static char	mname[] = "m1", mlabel[] = "Incomer \"A\", \\1", bname[] = "b1";
static char	dev[] = "/dev/null";
static struct meter_conf mconf = { .name = mname, .label = mlabel,
	.address = 5, .poll_ms = 1000 };
static struct bus_conf bconf = { .name = bname, .type = BUS_RTU,
	.device = dev, .baud = 19200, .parity = 'E', .stop_bits = 1,
	.timeout_ms = 300 };

/* The sets in the order the input's words fill them. */
static void
plan_sets(const struct poll_set **sets)
{
	sets[0] = &plan.fast;
	sets[1] = &plan.slow;
	sets[2] = &plan.info;
	sets[3] = &plan.magic;
	sets[4] = &plan.name;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct err		e = { .msg = "" };

	(void)argc;
	(void)argv;
	const struct poll_set	*sets[5];
	int			 s, r;

	if (poll_plan_init(&plan, &e) == -1) {
		fprintf(stderr, "poll_plan_init: %s\n", e.msg);
		abort();
	}
	/* seeds.sh: the requests, in the order the words fill them. */
	if (getenv("FUZZ_DECODE_PLAN") != NULL) {
		plan_sets(sets);
		for (s = 0; s < 5; s++)
			for (r = 0; r < sets[s]->nreq; r++)
				printf("%d %d\n", sets[s]->req[r].addr,
				    sets[s]->req[r].count);
		exit(0);
	}
	return 0;
}

/* Print into a heap buffer of exactly len bytes, so ASan sees overruns. */
static void
format_exact(const struct reg_def *d, const struct reg_value *v, size_t len,
    char sep)
{
	char	*buf, big[256];
	int	 n, nb;

	if ((buf = malloc(len)) == NULL)
		return;
	n = reg_format(d, v, buf, len, sep);
	nb = reg_format(d, v, big, sizeof big, sep);
	if (n >= 0 && (nb != n || memcmp(buf, big, (size_t)n) != 0 ||
	    buf[n] != '\0'))
		__builtin_trap();	/* fits, yet differs from the big one */
	free(buf);
}

static void
decode_rows(const uint16_t *w, size_t nw, size_t len)
{
	const struct reg_def	*d;
	struct reg_value	 v;
	uint16_t		 tmp[16];
	size_t			 i, k;

	if (nw == 0)
		return;
	for (i = 0; i < regmap_e34_len; i++) {
		d = regmap_get((enum reg_id)i);
		if (d->count <= 0 || d->count > 16)
			continue;
		for (k = 0; k < (size_t)d->count; k++)
			tmp[k] = w[(i * 3 + k) % nw];
		if (reg_decode(d, tmp, &v) == -1)
			continue;
		format_exact(d, &v, len, '.');
		format_exact(d, &v, len, ',');
	}
}

static void
export_meter(struct meter *m, int64_t now_ms, int last)
{
	struct wiring_diag	 wd;
	char			 buf[8192], topic[512], *exact, word[32];
	int			 n, i, dialect;

	(void)meter_status_word(m, word, sizeof word);
	(void)meter_tariffs_consistent(m);
	(void)meter_energy_monotonic(m);
	(void)meter_fresh(m, now_ms, 1000, 300);
	meter_wiring(m, now_ms, &wd);
	for (dialect = CSV_RFC4180; dialect <= CSV_EXCEL_EU; dialect++) {
		n = csv_format_row(buf, sizeof buf, m, &bconf, dialect);
		if (n < 0)
			__builtin_trap();	/* a row always fits 8 KiB */
		if ((exact = malloc((size_t)n + 1)) == NULL)
			continue;
		if (csv_format_row(exact, (size_t)n + 1, m, &bconf,
		    dialect) != n || memcmp(exact, buf, (size_t)n) != 0)
			__builtin_trap();
		free(exact);
	}
	for (i = 0; i < csv_value_count(); i++)
		(void)csv_format_value(buf, 16, m, i, '.');
	(void)mqtt_state_json(buf, sizeof buf, m);
	if (last && m->ident.serial[0] != '\0')
		for (i = 0; i < mqtt_disc_count(); i++)
			(void)mqtt_disc_json(topic, sizeof topic, buf,
			    sizeof buf, m, i, "countis", "homeassistant");
}

static void
fixed_check(const uint8_t *p)
{
	char	 buf[160], ref[40], *s, *o;
	int64_t	 raw;
	int	 exp10, dec, n;

	memcpy(&raw, p, sizeof raw);
	exp10 = (int8_t)p[8] % 40;
	dec = (int8_t)p[9] % 40;
	(void)fmt_fixed_dec(buf, sizeof buf, raw, exp10, dec, ',');
	n = fmt_fixed(buf, sizeof buf, raw, exp10, '.');
	if (exp10 < -30 || exp10 > 30) {
		if (n != -1)
			__builtin_trap();
		return;
	}
	if (n < 0)
		__builtin_trap();
	snprintf(ref, sizeof ref, "%" PRId64, raw);
	if (exp10 >= 0) {	/* the digits of raw, then exp10 zeros */
		if (strncmp(buf, ref, strlen(ref)) != 0 || (raw != 0 &&
		    strspn(buf + strlen(ref), "0") != (size_t)exp10))
			__builtin_trap();
		return;
	}
	for (s = o = buf; *s != '\0'; s++)	/* drop the point: raw again */
		if (*s != '.')
			*o++ = *s;
	*o = '\0';
	if (strtoll(buf, NULL, 10) != raw && !(raw == 0 && buf[0] == '-'))
		__builtin_trap();
}

/*
 * The poll result of cycle k, in the engine's order (eng_submit_cycle):
 * magic and name when the model asks for an identification, details when
 * it asks for them, the fast set, the slow set every other cycle. Words go
 * to the requests in the order of plan_sets; a request past the words
 * did not run. data[0] bits 1..7: request i fails (bit i % 7 + 1);
 * data[1]: how (exception with code data[1] / 4, timeout, CRC, io).
 */
static size_t
make_result(struct poll_result *r, const struct meter *m, int k,
    const uint8_t *data, const uint16_t *w, size_t nw, size_t off,
    int64_t t_ms, int64_t wall_ms)
{
	static const enum stats_outcome fails[4] = { ST_EXCEPTION, ST_TIMEOUT,
		ST_CRC, ST_IO };
	const struct poll_set	*order[5], *fill[5];
	struct poll_xfer	*x;
	int			 s, q, f;

	memset(r, 0, sizeof *r);
	r->identify = m->need_ident;
	r->with_info = r->identify || m->need_info || (data[2] & 1);
	r->conn_gen = 1 + ((data[2] >> 1) & 1) * (unsigned)(k / 3);
	r->start_ms = t_ms;
	r->start_wall_ms = wall_ms;
	r->end_ms = t_ms + 40;
	r->end_wall_ms = wall_ms + 40;
	order[0] = r->identify ? &plan.magic : NULL;
	order[1] = r->identify ? &plan.name : NULL;
	order[2] = r->with_info ? &plan.info : NULL;
	order[3] = &plan.fast;
	order[4] = k % 2 == 0 ? &plan.slow : NULL;
	plan_sets(fill);
	/* the words of each set, in the corpus' order */
	for (f = 0; f < 5; f++)
		for (s = 0; s < 5; s++) {
			if (order[s] != fill[f])
				continue;
			for (q = 0; q < order[s]->nreq &&
			    r->nx < POLL_RESULT_MAX; q++) {
				x = &r->x[r->nx++];
				x->req = &order[s]->req[q];
				x->addr = x->req->addr;
				x->count = x->req->count;
				if (off + (size_t)x->count > nw)
					continue;	/* ran = 0 */
				x->ran = 1;
				x->lat_us = 1000u * (unsigned)(1 + q);
				if (data[0] >> (1 + (r->nx - 1) % 7) & 1) {
					x->outcome = fails[data[1] % 4];
					x->exc_code = data[1] / 4;
				} else {
					x->outcome = ST_ANSWER;
					x->words = w + off;
				}
				off += (size_t)x->count;
			}
		}
	/* the engine's x[0], x[1] are the identification's: keep that order */
	if (r->identify && r->nx >= 2) {
		struct poll_xfer	 t[POLL_RESULT_MAX];
		int			 i, n = 0;

		for (i = 0; i < r->nx; i++)
			if (r->x[i].req >= plan.magic.req &&
			    r->x[i].req < plan.magic.req + plan.magic.nreq)
				t[n++] = r->x[i];
		for (i = 0; i < r->nx; i++)
			if (r->x[i].req >= plan.name.req &&
			    r->x[i].req < plan.name.req + plan.name.nreq)
				t[n++] = r->x[i];
		for (i = 0; i < r->nx; i++)
			if (!(r->x[i].req >= plan.magic.req &&
			    r->x[i].req < plan.magic.req + plan.magic.nreq) &&
			    !(r->x[i].req >= plan.name.req &&
			    r->x[i].req < plan.name.req + plan.name.nreq))
				t[n++] = r->x[i];
		memcpy(r->x, t, sizeof t[0] * (size_t)n);
	}
	return off;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct meter	 m;
	static uint16_t		 w[MAXW];
	static struct poll_result r;
	size_t			 nw, off;
	char			 name[64];
	int64_t			 t_ms = 1000, wall_ms = 1767225600000LL;
	int			 cycle;

	if (size < 4)
		return 0;
	if (size >= 14)
		fixed_check(data + 4);
	nw = fuzz_words(data + 4, size - 4, w, MAXW);
	decode_rows(w, nw, 1 + data[3] % 64);
	if (nw >= 4)
		(void)poll_ident_magic_ok(w, 4);
	if (nw >= 8)
		(void)poll_ident_name_ok(w, nw < 64 ? (int)nw : 64, name,
		    sizeof name);

	if (meter_init(&m, &mconf, 0, t_ms) == -1)
		return 0;
	off = 0;
	for (cycle = 0; cycle < 6 && off < nw; cycle++) {
		off = make_result(&r, &m, cycle, data, w, nw, off, t_ms,
		    wall_ms);
		if (m.offline) {
			r.nx = r.nx > 0 ? 1 : 0;
			r.identify = r.with_info = 0;
			(void)meter_apply_probe(&m, &r);
		} else
			(void)meter_apply_cycle(&m, &r, 2, r.end_ms);
		export_meter(&m, t_ms + 50, cycle == 5 || off >= nw);
		t_ms += 1000;
		wall_ms += 1000;
	}
	meter_release(&m);
	return 0;
}
