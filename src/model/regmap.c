/*
 * regmap.c: questions asked of the register map.
 *
 * The table itself is data: gen/regmap-e34.c, compiled from
 * data/e34-register-map.tsv by src/model/regmap-gen.awk. This file only looks rows
 * up (by id, by name, by address) and answers what an E34 defines, may read
 * and may write. Decoding words into values is regdecode.c's job; which
 * blocks to read is the engine's.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "regmap.h"

/*
 * Rows with a known address, sorted by address, built once on first use.
 * The engine asks from worker threads, so the build runs under pthread_once;
 * after it the index is never written again.
 */
static struct {
	const struct reg_def	*row[REG__COUNT];
	size_t			 n;
	int			 max_count;	/* widest row: bounds the scan */
} regmap_index;
static pthread_once_t	regmap_index_once = PTHREAD_ONCE_INIT;

static int
regmap_cmp_addr(const void *a, const void *b)
{
	const struct reg_def	*ra = *(const struct reg_def *const *)a;
	const struct reg_def	*rb = *(const struct reg_def *const *)b;

	if (ra->addr != rb->addr)
		return ra->addr < rb->addr ? -1 : 1;
	return ra->id < rb->id ? -1 : (ra->id > rb->id);
}

/* Sort the rows that have an address; rows with addr -1 are facts only. */
static void
regmap_index_build(void)
{
	size_t	i;

	for (i = 0; i < regmap_e34_len; i++) {
		if (regmap_e34[i].addr < 0 || regmap_e34[i].count <= 0)
			continue;
		regmap_index.row[regmap_index.n++] = &regmap_e34[i];
		if (regmap_e34[i].count > regmap_index.max_count)
			regmap_index.max_count = regmap_e34[i].count;
	}
	qsort(regmap_index.row, regmap_index.n, sizeof regmap_index.row[0],
	    regmap_cmp_addr);
}

const struct reg_def *
regmap_get(enum reg_id id)
{
	if ((size_t)id >= regmap_e34_len)
		return NULL;
	return &regmap_e34[id];
}

/* A linear scan: 190 rows, asked when parsing names, never per poll. */
const struct reg_def *
regmap_by_name(const char *name)
{
	size_t	i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < regmap_e34_len; i++) {
		if (strcasecmp(regmap_e34[i].name, name) == 0)
			return &regmap_e34[i];
	}
	return NULL;
}

const char *
regmap_value_text(const struct reg_def *r, int64_t raw, char *buf, size_t len)
{
	const char	*p, *end;
	char		*eq;
	long long	 v;

	if (r == NULL || r->values == NULL || len == 0)
		return NULL;
	for (p = r->values; *p != '\0'; p = *end == ';' ? end + 1 : end) {
		if ((end = strchr(p, ';')) == NULL)
			end = p + strlen(p);
		v = strtoll(p, &eq, 10);
		if (eq == p || *eq != '=' || v != raw)
			continue;
		snprintf(buf, len, "%.*s", (int)(end - eq - 1), eq + 1);
		return buf;
	}
	return NULL;
}

static int
regmap_e34_row(const struct reg_def *r)
{
	return r->conf == CONF_CONFIRMED_E34 || r->conf == CONF_INFERRED;
}

/*
 * The row covering addr; with e34_only, only a row an E34 defines. Binary
 * search for the last row starting at or before addr, then look back while
 * a row could still reach addr (the table has no overlapping rows, which
 * test-regmap checks, so the look-back normally stops at once).
 */
static const struct reg_def *
regmap_cover(int addr, int e34_only)
{
	const struct reg_def	*r;
	size_t			 lo, hi, mid;

	pthread_once(&regmap_index_once, regmap_index_build);
	lo = 0;
	hi = regmap_index.n;
	while (lo < hi) {	/* first row starting after addr */
		mid = lo + (hi - lo) / 2;
		if (regmap_index.row[mid]->addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo > 0) {
		r = regmap_index.row[--lo];
		if (r->addr + regmap_index.max_count <= addr)
			break;
		if (addr < r->addr + r->count &&
		    (!e34_only || regmap_e34_row(r)))
			return r;
	}
	return NULL;
}

const struct reg_def *
regmap_at(int addr)
{
	return regmap_cover(addr, 0);
}

int
regmap_e34_defines(int addr)
{
	return regmap_cover(addr, 1) != NULL;
}

/* 1 when every word of [addr, addr+count) lies in an E34 row with access. */
static int
regmap_e34_span(int addr, int count, unsigned access)
{
	const struct reg_def	*r;
	long			 a, end;

	if (count <= 0 || addr < 0)
		return 0;
	end = (long)addr + count;
	for (a = addr; a < end; a = r->addr + r->count) {
		if (a > 0xFFFF)
			return 0;
		r = regmap_cover((int)a, 1);
		if (r == NULL || (r->access & access) == 0)
			return 0;
	}
	return 1;
}

int
regmap_e34_readable(int addr, int count)
{
	return regmap_e34_span(addr, count, REG_ACC_R);
}

int
regmap_e34_writable(int addr, int count)
{
	return regmap_e34_span(addr, count, REG_ACC_W);
}

/* The TSV spelling of each type, so a dump of the table compares with it. */
const char *
reg_type_name(enum reg_type t)
{
	static const char *const names[] = {
		[REG_T_NONE] = "-",
		[REG_T_U8] = "U8",
		[REG_T_U8_HEX] = "U8_HEX",
		[REG_T_U16] = "U16",
		[REG_T_U16_HEX] = "U16_HEX",
		[REG_T_S16] = "S16",
		[REG_T_U32] = "U32",
		[REG_T_S32] = "S32",
		[REG_T_U64_HEX] = "U64_HEX",
		[REG_T_ASCII16] = "ASCII16",
		[REG_T_ASCII] = "ASCII",
		[REG_T_DATETIME] = "DATETIME",
		[REG_T_DATETIME_3] = "DATETIME_3",
		[REG_T_RECORDS] = "4-word records"
	};

	if ((unsigned)t >= sizeof names / sizeof names[0] || names[t] == NULL)
		return "?";
	return names[t];
}

/* The TSV spelling of each confidence. */
const char *
reg_conf_name(enum reg_conf c)
{
	static const char *const names[] = {
		[CONF_CONFIRMED_E34] = "confirmed-E34",
		[CONF_CONFIRMED_FAMILY] = "confirmed-family",
		[CONF_INFERRED] = "inferred",
		[CONF_UNKNOWN] = "unknown"
	};

	if ((unsigned)c >= sizeof names / sizeof names[0] || names[c] == NULL)
		return "?";
	return names[c];
}
