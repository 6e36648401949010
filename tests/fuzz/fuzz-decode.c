/*
 * fuzz-decode.c: the response decoder, from raw register words to text.
 *
 * Input: 4 bytes of cycle state (status, exception code, identification,
 * buffer length), then big-endian register words as a slave would answer.
 *  1. Every row of the register map is decoded from the words and printed
 *     with both decimal separators into a buffer of the fuzzed length.
 *  2. The engine's path: the words fill the answers of the poll plan's
 *     requests (fast, slow, info, magic, name) in order, each register
 *     they cover is decoded and stored in a meter as engine.c does, for up
 *     to four cycles; then the meter is judged and exported (CSV row in
 *     both dialects, MQTT state and discovery messages).
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

/* engine.c's eng_fill_ident, from the values stored. */
static void
fill_ident(struct meter *m)
{
	struct meter_ident	*id = &m->ident;
	const struct reg_sample	*s;
	int64_t			 a, b, c;

	if ((s = meter_get(m, REG_VENDOR_NAME)) != NULL && s->v.valid)
		snprintf(id->vendor, sizeof id->vendor, "%s", s->v.str);
	if ((s = meter_get(m, REG_PRODUCT_NAME)) != NULL && s->v.valid)
		snprintf(id->product_name, sizeof id->product_name, "%s",
		    s->v.str);
	if ((s = meter_get(m, REG_EXTENDED_NAME)) != NULL && s->v.valid)
		snprintf(id->ext_name, sizeof id->ext_name, "%s", s->v.str);
	if (meter_raw(m, REG_SERIAL_AA_SS, 0, 0, &a) &&
	    meter_raw(m, REG_SERIAL_SST_L, 0, 0, &b) &&
	    meter_raw(m, REG_SERIAL_ORDER, 0, 0, &c))
		snprintf(id->serial, sizeof id->serial, "%04X-%04X-%lld",
		    (unsigned)a, (unsigned)b, (long long)c);
	if (meter_raw(m, REG_JBUS_TABLE_VERSION, 0, 0, &a))
		id->table_version = (int)a;
	if (meter_raw(m, REG_SOFTWARE_VERSION, 0, 0, &a))
		id->sw_version = (int)a;
}

/* engine.c's eng_store_xfer: the rows request r covers, from words w. */
static void
store_req(struct meter *m, const struct poll_req *r, const uint16_t *w,
    int64_t t_ms, int64_t wall_ms)
{
	const struct reg_def	*d;
	struct reg_value	 v;
	int			 i;

	for (i = 0; i < r->nids; i++) {
		d = regmap_get(r->ids[i]);
		if (d->addr < r->addr || d->addr + d->count > r->addr + r->count)
			continue;
		if (reg_decode(d, &w[d->addr - r->addr], &v) == -1)
			continue;
		meter_store(m, d->id, &v, t_ms, wall_ms);
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct meter	 m;
	static uint16_t		 w[MAXW];
	const struct poll_set	*sets[5];
	size_t			 nw, off;
	char			 name[64];
	int64_t			 t_ms = 1000, wall_ms = 1767225600000LL;
	int			 cycle, s, r;

	if (size < 4)
		return 0;
	if (size >= 14)
		fixed_check(data + 4);
	nw = fuzz_words(data + 4, size - 4, w, MAXW);
	decode_rows(w, nw, 1 + data[3] % 64);

	plan_sets(sets);
	meter_init(&m, &mconf, 0, t_ms);
	off = 0;
	for (cycle = 0; cycle < 4 && off < nw; cycle++) {
		for (s = 0; s < 5; s++) {
			for (r = 0; r < sets[s]->nreq; r++) {
				if (off + (size_t)sets[s]->req[r].count > nw)
					break;
				store_req(&m, &sets[s]->req[r], w + off, t_ms,
				    wall_ms);
				if (s == 3)
					(void)poll_ident_magic_ok(w + off,
					    sets[s]->req[r].count);
				if (s == 4)
					(void)poll_ident_name_ok(w + off,
					    sets[s]->req[r].count, name,
					    sizeof name);
				off += (size_t)sets[s]->req[r].count;
			}
		}
		fill_ident(&m);
		m.ident.done = data[2] & 1;
		m.ident.is_e34 = (data[2] >> 1) & 1;
		m.offline = (data[2] >> 2) & 1;
		m.status = (enum meter_status)(data[0] % 7);
		m.exc_code = data[1];
		m.cycles++;
		if (m.status == MS_OK) {
			m.ok_cycles++;
			m.last_ok_ms = t_ms;
		}
		m.last_cycle_ms = t_ms;
		m.last_cycle_wall_ms = wall_ms;
		export_meter(&m, t_ms + 10, cycle == 3 || off >= nw);
		t_ms += 1000;
		wall_ms += 1000;
	}
	meter_release(&m);
	return 0;
}
