/*
 * test-regmap.c: the compiled register table and its lookups.
 *
 * The table invariants (words agree with type, no overlapping rows, unique
 * names, every row equal to its TSV line) are checked here row by row; the
 * shell test tests/sh/map-usage.sh compares the whole table with the TSV as
 * text and greps the sources for address literals.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "regmap.h"
#include "t.h"

#define TSV_PATH	ABS_TOP_SRCDIR "/data/e34-register-map.tsv"

/* The words a type needs; 0 when only the row knows (strings, records). */
static int
type_words(enum reg_type t)
{
	switch (t) {
	case REG_T_U8: case REG_T_U8_HEX: case REG_T_U16: case REG_T_U16_HEX:
	case REG_T_S16:
		return 1;
	case REG_T_U32: case REG_T_S32: case REG_T_DATETIME:
		return 2;
	case REG_T_DATETIME_3:
		return 3;
	case REG_T_U64_HEX:
		return 4;
	default:
		return 0;
	}
}

static int
is_e34(const struct reg_def *r)
{
	return r->conf == CONF_CONFIRMED_E34 || r->conf == CONF_INFERRED;
}

/* The obvious answer to "which row covers a", for comparison. */
static const struct reg_def *
naive_at(int a)
{
	size_t	i;

	for (i = 0; i < regmap_e34_len; i++) {
		const struct reg_def *r = &regmap_e34[i];
		if (r->addr >= 0 && a >= r->addr && a < r->addr + r->count)
			return r;
	}
	return NULL;
}

static int
naive_span(int a, int n, unsigned acc)
{
	const struct reg_def	*r;
	int			 k;

	if (n <= 0)
		return 0;
	for (k = a; k < a + n; k++) {
		r = naive_at(k);
		if (r == NULL || !is_e34(r) || (r->access & acc) == 0)
			return 0;
	}
	return 1;
}

struct thread_arg {
	int	bad;
};

static void *
lookup_thread(void *p)
{
	struct thread_arg	*ta = p;
	size_t			 i;
	int			 k;

	for (i = 0; i < regmap_e34_len; i++) {
		const struct reg_def *r = &regmap_e34[i];
		for (k = 0; r->addr >= 0 && k < r->count; k++) {
			if (regmap_at(r->addr + k) != r)
				ta->bad++;
		}
	}
	return NULL;
}

/* First lookups of the process come from several threads at once. */
static void
test_regmap__first_use_from_threads(void)
{
	pthread_t		th[4];
	struct thread_arg	ta[4];
	int			i;

	memset(ta, 0, sizeof ta);
	for (i = 0; i < 4; i++)
		T_EQ_INT(pthread_create(&th[i], NULL, lookup_thread, &ta[i]),
		    0);
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		T_EQ_INT(ta[i].bad, 0);
	}
}

static void
test_regmap__get_by_id(void)
{
	size_t	i;

	T_EQ_INT(regmap_e34_len, REG__COUNT);
	for (i = 0; i < regmap_e34_len; i++) {
		T_OK(regmap_get((enum reg_id)i) == &regmap_e34[i]);
		T_EQ_INT(regmap_get((enum reg_id)i)->id, i);
	}
	T_OK(regmap_get(REG__COUNT) == NULL);
	T_EQ_STR(regmap_get(REG_V1)->name, "V1");
	T_EQ_STR(regmap_get(REG_EA_PLUS_TOTAL_10WH)->unit, "kWh");
}

/* Every row: words agree with type, sane address, no overlap, unique name. */
static void
test_regmap__table_invariants(void)
{
	size_t	i, j;
	int	w;

	for (i = 0; i < regmap_e34_len; i++) {
		const struct reg_def *r = &regmap_e34[i];

		T_EQ_INT(r->id, i);
		w = type_words(r->type);
		if (w != 0 && r->count != w)
			T_FAIL_("%s: %s has %d words, want %d", r->name,
			    reg_type_name(r->type), r->count, w);
		if (r->type == REG_T_ASCII16 && r->count != 4)
			T_FAIL_("%s: ASCII16 of %d words", r->name, r->count);
		if (r->type == REG_T_ASCII && (r->count < 1 || r->count > 11))
			T_FAIL_("%s: ASCII of %d words does not fit "
			    "reg_value.str", r->name, r->count);
		if (r->type == REG_T_RECORDS && (r->count <= 0 ||
		    r->count % 4 != 0))
			T_FAIL_("%s: records of %d words", r->name, r->count);
		if (r->type == REG_T_NONE && (r->addr != -1 || r->count != 0))
			T_FAIL_("%s: no type but address %d", r->name, r->addr);
		if (r->conf == CONF_UNKNOWN && r->addr != -1)
			T_FAIL_("%s: unknown row with address %d", r->name,
			    r->addr);
		if (r->addr != -1 && (r->addr < 0 || r->count <= 0 ||
		    r->addr + r->count > 0x10000 || r->count > 125))
			T_FAIL_("%s: bad range %d+%d", r->name, r->addr,
			    r->count);
		if (r->has_scale && (r->scale_exp < -3 || r->scale_exp > 1))
			T_FAIL_("%s: scale 10^%d", r->name, r->scale_exp);
		for (j = i + 1; j < regmap_e34_len; j++) {
			const struct reg_def *q = &regmap_e34[j];

			if (strcasecmp(r->name, q->name) == 0)
				T_FAIL_("duplicate name %s", r->name);
			if (r->addr < 0 || q->addr < 0)
				continue;
			if (r->addr < q->addr + q->count &&
			    q->addr < r->addr + r->count)
				T_FAIL_("%s and %s overlap", r->name, q->name);
		}
	}
}

/* Split a TSV line in place; returns the number of fields. */
static int
tsv_split(char *line, char **f, int max)
{
	int	n = 0;
	char	*p = line;

	line[strcspn(line, "\n")] = '\0';
	while (n < max) {
		f[n++] = p;
		p = strchr(p, '\t');
		if (p == NULL)
			break;
		*p++ = '\0';
	}
	return n;
}

static int
tsv_scale_exp(const char *s, int *has)
{
	*has = 1;
	if (strcmp(s, "1") == 0)
		return 0;
	if (strcmp(s, "10") == 0)
		return 1;
	if (strcmp(s, "0.1") == 0)
		return -1;
	if (strcmp(s, "0.01") == 0)
		return -2;
	if (strcmp(s, "0.001") == 0)
		return -3;
	*has = 0;
	return 0;
}

/* Each TSV line, read here independently of the awk compiler, is its row. */
static void
test_regmap__rows_match_tsv(void)
{
	FILE			*fp;
	char			 line[4096], *f[16];
	const struct reg_def	*r;
	int			 nf, lineno = 0, rows = 0, has, exp10;
	unsigned		 acc;

	fp = fopen(TSV_PATH, "r");
	T_OK(fp != NULL);
	if (fp == NULL)
		return;
	while (fgets(line, sizeof line, fp) != NULL) {
		if (++lineno == 1)
			continue;
		nf = tsv_split(line, f, 16);
		T_EQ_INT(nf, 15);
		if (nf != 15)
			continue;
		rows++;
		r = regmap_by_name(f[9]);
		if (r == NULL) {
			T_FAIL_("TSV line %d: %s not in the table", lineno,
			    f[9]);
			continue;
		}
		T_EQ_INT(r->id, rows - 1);	/* ids in TSV order */
		T_EQ_INT(r->addr, strcmp(f[0], "-") ? atoi(f[0]) : -1);
		if (strcmp(f[1], "-") != 0)
			T_EQ_INT(r->addr, strtol(f[1], NULL, 16));
		T_EQ_INT(r->count, strcmp(f[2], "-") ? atoi(f[2]) : 0);
		T_EQ_STR(reg_type_name(r->type), f[3]);
		T_EQ_STR(r->unit, strcmp(f[4], "-") ? f[4] : "");
		exp10 = tsv_scale_exp(f[5], &has);
		T_EQ_INT(r->has_scale, has);
		if (has)
			T_EQ_INT(r->scale_exp, exp10);
		acc = (strchr(f[7], 'R') ? REG_ACC_R : 0) |
		    (strchr(f[7], 'W') ? REG_ACC_W : 0);
		T_EQ_INT(r->access, acc);
		T_EQ_STR(r->group, f[8]);
		T_EQ_STR(reg_conf_name(r->conf), f[11]);
		T_EQ_STR(r->label, f[13]);
		T_EQ_STR(r->values, strcmp(f[14], "-") ? f[14] : "");
	}
	fclose(fp);
	T_EQ_INT(rows, REG__COUNT);
}

static void
test_regmap__by_name(void)
{
	T_OK(regmap_by_name("V1") == regmap_get(REG_V1));
	T_OK(regmap_by_name("v1") == regmap_get(REG_V1));
	T_OK(regmap_by_name("ea_plus_total_10wh") ==
	    regmap_get(REG_EA_PLUS_TOTAL_10WH));
	T_OK(regmap_by_name("EXTENDED_NAME") == regmap_get(REG_EXTENDED_NAME));
	T_OK(regmap_by_name("V") == NULL);
	T_OK(regmap_by_name("") == NULL);
	T_OK(regmap_by_name(NULL) == NULL);
}

/* regmap_at agrees with a linear scan on every address of the 16-bit space. */
static void
test_regmap__at_every_address(void)
{
	int	a, bad = 0;

	for (a = 0; a <= 0xFFFF; a++) {
		if (regmap_at(a) != naive_at(a) && bad++ < 5)
			T_FAIL_("regmap_at(0x%04X) differs", a);
	}
	T_EQ_INT(bad, 0);
	T_OK(regmap_at(-1) == NULL);
	T_OK(regmap_at(0x10000) == NULL);
	/* the second word of a U32 is the same row */
	T_OK(regmap_at(regmap_get(REG_V1)->addr + 1) == regmap_get(REG_V1));
	/* the last word of the 112-word records block */
	T_OK(regmap_at(regmap_get(REG_LC_RECORDS_1_28)->addr + 111) ==
	    regmap_get(REG_LC_RECORDS_1_28));
	T_OK(regmap_at(regmap_get(REG_LC_RECORDS_1_28)->addr + 112) == NULL);
}

/* Confirmed-family rows are reserved on an E34; inferred rows define. */
static void
test_regmap__e34_defines_by_confidence(void)
{
	size_t	i;
	int	k;

	for (i = 0; i < regmap_e34_len; i++) {
		const struct reg_def *r = &regmap_e34[i];
		for (k = 0; r->addr >= 0 && k < r->count; k++) {
			if (regmap_e34_defines(r->addr + k) != is_e34(r))
				T_FAIL_("%s word %d: defines %d, conf %s",
				    r->name, k, regmap_e34_defines(r->addr + k),
				    reg_conf_name(r->conf));
		}
	}
	T_EQ_INT(regmap_e34_defines(regmap_get(REG_I_SYS)->addr), 0);
	T_EQ_INT(regmap_e34_defines(regmap_get(REG_ER_MINUS_TOTAL)->addr), 0);
	T_EQ_INT(regmap_e34_defines(regmap_get(REG_SET_TARIFF_RESERVED)->addr),
	    1);
	T_EQ_INT(regmap_e34_defines(regmap_get(REG_PF3)->addr + 1), 1);
	T_EQ_INT(regmap_e34_defines(-1), 0);
}

/* readable / writable agree with a word-by-word check, spans of 1 to 4. */
static void
test_regmap__spans_every_address(void)
{
	int	a, n, bad = 0;

	for (a = 0; a <= 0xFFFF; a++) {
		if (!regmap_e34_defines(a))	/* both answers are 0 */
			continue;
		for (n = 1; n <= 4; n++) {
			if (regmap_e34_readable(a, n) !=
			    naive_span(a, n, REG_ACC_R) && bad++ < 5)
				T_FAIL_("readable(0x%04X, %d)", a, n);
			if (regmap_e34_writable(a, n) !=
			    naive_span(a, n, REG_ACC_W) && bad++ < 5)
				T_FAIL_("writable(0x%04X, %d)", a, n);
		}
	}
	T_EQ_INT(bad, 0);
}

static void
test_regmap__readable_blocks(void)
{
	int	u12 = regmap_get(REG_U12)->addr;
	int	pf3_end = regmap_get(REG_PF3)->addr +
		    regmap_get(REG_PF3)->count;
	int	lc = regmap_get(REG_LC_RECORD_COUNT)->addr;

	/* the 32-bit metrology block, U12 to PF3, in one request */
	T_EQ_INT(regmap_e34_readable(u12, pf3_end - u12), 1);
	/* one more word reaches I_sys, reserved on an E34 */
	T_EQ_INT(regmap_e34_readable(u12, pf3_end - u12 + 1), 0);
	/* the load curve: header and 29 records, 122 words */
	T_EQ_INT(regmap_e34_readable(lc, 122), 1);
	T_EQ_INT(regmap_e34_readable(lc, 123), 0);
	/* the SOCO magic, and not past its end into the next row's gap */
	T_EQ_INT(regmap_e34_readable(regmap_get(REG_SOCO_MAGIC)->addr, 4), 1);
	T_EQ_INT(regmap_e34_readable(regmap_get(REG_CODE_TABLE)->addr, 5), 0);
	/* write-only rows are not readable */
	T_EQ_INT(regmap_e34_readable(regmap_get(REG_SET_TARIFF)->addr, 1), 0);
	T_EQ_INT(regmap_e34_readable(regmap_get(REG_LC_COMMAND)->addr, 1), 0);
	T_EQ_INT(regmap_e34_readable(u12, 0), 0);
	T_EQ_INT(regmap_e34_readable(u12, -1), 0);
	T_EQ_INT(regmap_e34_readable(-1, 1), 0);
	T_EQ_INT(regmap_e34_readable(0xFFFF, 2), 0);
}

static void
test_regmap__writable_rows(void)
{
	int	day = regmap_get(REG_DAY)->addr;

	T_EQ_INT(regmap_e34_writable(regmap_get(REG_SET_TARIFF)->addr, 1), 1);
	/* the whole 2-word Set Tariff block, reserved word included */
	T_EQ_INT(regmap_e34_writable(regmap_get(REG_SET_TARIFF_RESERVED)->addr,
	    2), 1);
	/* the clock, all 6 words in one FC16 */
	T_EQ_INT(regmap_e34_writable(day, 6), 1);
	T_EQ_INT(regmap_e34_writable(day, 7), 0);
	T_EQ_INT(regmap_e34_writable(regmap_get(REG_LC_COMMAND)->addr, 1), 1);
	T_EQ_INT(regmap_e34_writable(regmap_get(REG_V1)->addr, 2), 0);
	/* family-only, reserved on an E34 */
	T_EQ_INT(regmap_e34_writable(
	    regmap_get(REG_SLAVE_ADDRESS_NEWGEN)->addr, 1), 0);
}

static void
test_regmap__type_and_conf_names(void)
{
	T_EQ_STR(reg_type_name(REG_T_NONE), "-");
	T_EQ_STR(reg_type_name(REG_T_U32), "U32");
	T_EQ_STR(reg_type_name(REG_T_DATETIME_3), "DATETIME_3");
	T_EQ_STR(reg_type_name(REG_T_RECORDS), "4-word records");
	T_EQ_STR(reg_type_name((enum reg_type)99), "?");
	T_EQ_STR(reg_conf_name(CONF_CONFIRMED_E34), "confirmed-E34");
	T_EQ_STR(reg_conf_name(CONF_CONFIRMED_FAMILY), "confirmed-family");
	T_EQ_STR(reg_conf_name(CONF_INFERRED), "inferred");
	T_EQ_STR(reg_conf_name(CONF_UNKNOWN), "unknown");
	T_EQ_STR(reg_conf_name((enum reg_conf)-1), "?");
}

/* Issue 13 item 17: every row has a human label, every enumeration decodes. */
static void
test_regmap__labels_and_values(void)
{
	const struct reg_def	*r;
	const char		*p;
	char			 buf[80], *end;
	size_t			 i, n;
	long			 v;

	for (i = 0; i < regmap_e34_len; i++) {
		r = &regmap_e34[i];
		if (r->label == NULL || r->label[0] == '\0' ||
		    strcmp(r->label, "-") == 0) {
			T_FAIL_("%s has no label", r->name);
			continue;
		}
		/* a label fits the Measurements name column at 120 columns */
		T_OK(strlen(r->label) <= 26);
		for (p = r->values, n = 0; p != NULL && *p != '\0'; n++) {
			v = strtol(p, &end, 10);
			T_OK(end != p && *end == '=');
			T_OK(regmap_value_text(r, v, buf, sizeof buf) != NULL);
			p = strchr(p, ';');
			p = p != NULL ? p + 1 : "";
		}
		if (r->values[0] != '\0')
			T_OK(n >= 2);
	}
	r = regmap_get(REG_NETWORK_TYPE);
	T_EQ_STR(regmap_value_text(r, 5, buf, sizeof buf),
	    "4NBL (3P+N unbalanced)");
	T_EQ_STR(regmap_value_text(r, 0, buf, sizeof buf), "1BL (1P+N)");
	T_OK(regmap_value_text(r, 6, buf, sizeof buf) == NULL);
	T_OK(regmap_value_text(regmap_get(REG_V1), 0, buf, sizeof buf) ==
	    NULL);
	T_EQ_STR(regmap_value_text(regmap_get(REG_MID_STATUS), 1, buf,
	    sizeof buf), "MID");
	T_EQ_STR(regmap_get(REG_EA_MINUS_MONTH_PREV)->label,
	    "Ea- last month kWh");
	T_EQ_STR(regmap_get(REG_EA_PLUS_MONTH_PREV_10WH)->label,
	    "Ea+ last month");
	/* cut short: still the start of the text */
	T_EQ_STR(regmap_value_text(r, 5, buf, 5), "4NBL");
}

int
main(void)
{
	T_RUN(test_regmap__first_use_from_threads);
	T_RUN(test_regmap__get_by_id);
	T_RUN(test_regmap__table_invariants);
	T_RUN(test_regmap__rows_match_tsv);
	T_RUN(test_regmap__by_name);
	T_RUN(test_regmap__at_every_address);
	T_RUN(test_regmap__e34_defines_by_confidence);
	T_RUN(test_regmap__spans_every_address);
	T_RUN(test_regmap__readable_blocks);
	T_RUN(test_regmap__writable_rows);
	T_RUN(test_regmap__type_and_conf_names);
	T_RUN(test_regmap__labels_and_values);
	return t_done();
}
