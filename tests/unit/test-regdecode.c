/*
 * test-regdecode.c: words to values, values to exact text, for every type
 * and every scale of the register map, with the boundaries (0, UINT32_MAX,
 * negative S32, INT64_MIN, sentinels, string padding).
 */
#include <stdint.h>
#include <string.h>

#include "regdecode.h"
#include "t.h"

/* Decode words as row id; return the value (valid -1 when decode fails). */
static struct reg_value
dec(enum reg_id id, const uint16_t *w)
{
	struct reg_value	v;

	if (reg_decode(regmap_get(id), w, &v) != 0)
		v.valid = -1;
	return v;
}

/* Decode and format with '.', into a static buffer ("<invalid>" on -1). */
static const char *
txt(enum reg_id id, const uint16_t *w)
{
	static char		buf[64];
	struct reg_value	v;

	if (reg_decode(regmap_get(id), w, &v) != 0)
		return "<decode failed>";
	if (reg_format(regmap_get(id), &v, buf, sizeof buf, '.') < 0)
		return "<format failed>";
	return buf;
}

static const char *
fx(int64_t raw, int exp10, char sep)
{
	static char	buf[96];

	if (fmt_fixed(buf, sizeof buf, raw, exp10, sep) < 0)
		return "<-1>";
	return buf;
}

static const char *
fxd(int64_t raw, int exp10, int decimals)
{
	static char	buf[96];

	if (fmt_fixed_dec(buf, sizeof buf, raw, exp10, decimals, '.') < 0)
		return "<-1>";
	return buf;
}

/* U8 is the low byte; only a whole register of 0xFFFF is "not available". */
static void
test_regdecode__u8_low_byte(void)
{
	uint16_t	w[1];

	w[0] = 0x0003;
	T_EQ_INT(dec(REG_TARIFF_ACTIVE, w).raw, 3);
	w[0] = 0x1203;
	T_EQ_INT(dec(REG_TARIFF_ACTIVE, w).raw, 3);
	w[0] = 0x0000;
	T_EQ_INT(dec(REG_TARIFF_ACTIVE, w).valid, 1);
	T_EQ_INT(dec(REG_TARIFF_ACTIVE, w).raw, 0);
	w[0] = 0x00FF;
	T_EQ_INT(dec(REG_TARIFF_ACTIVE, w).valid, 1);
	T_EQ_INT(dec(REG_TARIFF_ACTIVE, w).raw, 255);
	w[0] = 0xFFFF;
	T_EQ_INT(dec(REG_TARIFF_ACTIVE, w).valid, 0);
	T_EQ_STR(txt(REG_TARIFF_ACTIVE, w), "");
}

static void
test_regdecode__u16_bounds_and_sentinel(void)
{
	uint16_t	w[1];

	w[0] = 0;
	T_EQ_STR(txt(REG_V1_16, w), "0.00");
	w[0] = 23107;
	T_EQ_STR(txt(REG_V1_16, w), "231.07");
	w[0] = 0xFFFE;
	T_EQ_INT(dec(REG_V1_16, w).raw, 65534);
	T_EQ_STR(txt(REG_V1_16, w), "655.34");
	w[0] = 0xFFFF;
	T_EQ_INT(dec(REG_V1_16, w).valid, 0);
	T_EQ_STR(txt(REG_V1_16, w), "");
	/* 0x7FFF is an ordinary unsigned value */
	w[0] = 0x7FFF;
	T_EQ_INT(dec(REG_V1_16, w).valid, 1);
}

static void
test_regdecode__s16_sign_and_sentinel(void)
{
	uint16_t	w[1];

	w[0] = 0x8000;
	T_EQ_INT(dec(REG_P1_16, w).raw, -32768);
	T_EQ_STR(txt(REG_P1_16, w), "-327680");
	w[0] = 0xFFFF;		/* -1: valid for a signed register */
	T_EQ_INT(dec(REG_P1_16, w).valid, 1);
	T_EQ_INT(dec(REG_P1_16, w).raw, -1);
	w[0] = 0x7FFE;
	T_EQ_INT(dec(REG_P1_16, w).raw, 32766);
	w[0] = 0x7FFF;
	T_EQ_INT(dec(REG_P1_16, w).valid, 0);
	w[0] = 0xFC19;		/* -999 */
	T_EQ_STR(txt(REG_PF1_16, w), "-0.999");
}

/* High word first; 0, 2^16, UINT32_MAX - 1 and the sentinel. */
static void
test_regdecode__u32_high_word_first(void)
{
	uint16_t	w[2];

	w[0] = 0; w[1] = 0;
	T_EQ_INT(dec(REG_EA_PLUS_TOTAL_10WH, w).valid, 1);
	T_EQ_STR(txt(REG_EA_PLUS_TOTAL_10WH, w), "0.00");
	w[0] = 0x0001; w[1] = 0x0000;
	T_EQ_INT(dec(REG_EA_PLUS_TOTAL_10WH, w).raw, 65536);
	w[0] = 0x0000; w[1] = 0x0001;
	T_EQ_INT(dec(REG_EA_PLUS_TOTAL_10WH, w).raw, 1);
	w[0] = 0x1234; w[1] = 0x5678;
	T_EQ_INT(dec(REG_EA_PLUS_TOTAL_10WH, w).raw, 0x12345678);
	w[0] = 0xFFFF; w[1] = 0xFFFE;
	T_EQ_INT(dec(REG_EA_PLUS_TOTAL_10WH, w).raw, 4294967294LL);
	T_EQ_STR(txt(REG_EA_PLUS_TOTAL_10WH, w), "42949672.94");
	T_EQ_STR(txt(REG_EA_PLUS_TOTAL, w), "4294967294");
	w[0] = 0xFFFF; w[1] = 0xFFFF;
	T_EQ_INT(dec(REG_EA_PLUS_TOTAL_10WH, w).valid, 0);
	T_EQ_STR(txt(REG_EA_PLUS_TOTAL_10WH, w), "");
	/* half a sentinel is a value */
	w[0] = 0xFFFF; w[1] = 0x0000;
	T_EQ_INT(dec(REG_EA_PLUS_TOTAL_10WH, w).valid, 1);
	w[0] = 0x7FFF; w[1] = 0xFFFF;
	T_EQ_INT(dec(REG_EA_PLUS_TOTAL_10WH, w).valid, 1);
}

static void
test_regdecode__s32_negative_and_sentinel(void)
{
	uint16_t	w[2];

	w[0] = 0xFFFF; w[1] = 0xFFFB;
	T_EQ_INT(dec(REG_P, w).raw, -5);
	T_EQ_STR(txt(REG_P, w), "-50");
	w[0] = 0x8000; w[1] = 0x0000;
	T_EQ_INT(dec(REG_P, w).raw, INT32_MIN);
	T_EQ_STR(txt(REG_P, w), "-21474836480");
	w[0] = 0xFFFF; w[1] = 0xFFFF;
	T_EQ_INT(dec(REG_P, w).valid, 1);
	T_EQ_INT(dec(REG_P, w).raw, -1);
	w[0] = 0x7FFF; w[1] = 0xFFFE;
	T_EQ_INT(dec(REG_P, w).raw, 2147483646);
	w[0] = 0x7FFF; w[1] = 0xFFFF;
	T_EQ_INT(dec(REG_P, w).valid, 0);
	T_EQ_STR(txt(REG_P, w), "");
	w[0] = 0xFFFF; w[1] = 0xFC19;
	T_EQ_STR(txt(REG_PF, w), "-0.999");
	w[0] = 0; w[1] = 1000;
	T_EQ_STR(txt(REG_PF, w), "1.000");
}

static void
test_regdecode__u64_hex(void)
{
	uint16_t	w[4] = { 0x0053, 0x004F, 0x0043, 0x004F };

	T_OK(dec(REG_CODE_TABLE, w).u64 == 0x0053004F0043004FULL);
	T_EQ_STR(txt(REG_CODE_TABLE, w), "0x0053004F0043004F");
	/* no sentinel for a bit pattern */
	w[0] = w[1] = w[2] = w[3] = 0xFFFF;
	T_EQ_INT(dec(REG_CODE_TABLE, w).valid, 1);
	T_EQ_STR(txt(REG_CODE_TABLE, w), "0xFFFFFFFFFFFFFFFF");
}

static void
test_regdecode__hex_16_and_8(void)
{
	uint16_t	w[1] = { 0x1A2B };

	T_EQ_STR(txt(REG_SERIAL_AA_SS, w), "0x1A2B");
	w[0] = 0x000A;
	T_EQ_STR(txt(REG_SERIAL_AA_SS, w), "0x000A");
	w[0] = 0xFFFF;
	T_EQ_STR(txt(REG_RESET_TARIFF_COUNTERS, w), "0xFFFF");
	w[0] = 0x00A1;
	T_EQ_STR(txt(REG_ACTION, w), "0xA1");
	w[0] = 0x12B2;
	T_EQ_STR(txt(REG_ACTION, w), "0xB2");
}

/* "SOCO": one character per register, in the low byte. */
static void
test_regdecode__ascii16_soco(void)
{
	uint16_t		w[4] = { 0x0053, 0x004F, 0x0043, 0x004F };
	struct reg_value	v = dec(REG_SOCO_MAGIC, w);

	T_EQ_STR(v.str, "SOCO");
	T_OK(v.u64 == 0x0053004F0043004FULL);
	T_EQ_STR(txt(REG_SOCO_MAGIC, w), "SOCO");
	w[2] = 0x4143;		/* the high byte is not a character */
	T_EQ_STR(dec(REG_SOCO_MAGIC, w).str, "SOCO");
	w[2] = 0x0000; w[3] = 0x0000;
	T_EQ_STR(dec(REG_SOCO_MAGIC, w).str, "SO");
}

/* Two characters per register, high byte first, trimmed of NULs/spaces. */
static void
test_regdecode__ascii_trim(void)
{
	uint16_t	w[8];
	const char	*s = "COUNTIS E34     ";
	int		i;

	for (i = 0; i < 8; i++)
		w[i] = (uint16_t)((unsigned char)s[2 * i] << 8 |
		    (unsigned char)s[2 * i + 1]);
	T_EQ_STR(dec(REG_EXTENDED_NAME, w).str, "COUNTIS E34");
	memset(w, 0, sizeof w);
	w[0] = 0x2020; w[1] = 0x2053; w[2] = 0x4F43; w[3] = 0x4F4D;
	w[4] = 0x4543; w[5] = 0x0000;		/* "   SOCOMEC" + NULs */
	T_EQ_STR(dec(REG_VENDOR_NAME, w).str, "SOCOMEC");
	T_EQ_STR(txt(REG_VENDOR_NAME, w), "SOCOMEC");
	memset(w, 0, sizeof w);
	T_EQ_INT(dec(REG_VENDOR_NAME, w).valid, 1);
	T_EQ_STR(dec(REG_VENDOR_NAME, w).str, "");
	/* control bytes never pass */
	w[0] = 0x4101; w[1] = 0x1B42;
	T_EQ_STR(dec(REG_VENDOR_NAME, w).str, "A??B");
	w[0] = 0x41C3; w[1] = 0xA942;
	T_EQ_STR(dec(REG_VENDOR_NAME, w).str, "A??B");
	/* an odd length string: 4 registers, 8 characters */
	w[0] = 0x3838; w[1] = 0x3031; w[2] = 0x3030; w[3] = 0x2020;
	T_EQ_STR(dec(REG_PRODUCT_VLO, w).str, "880100");
	for (i = 0; i < 8; i++)
		w[i] = 0x5A5A;
	T_EQ_INT(strlen(dec(REG_VENDOR_NAME, w).str), 16);
}

/* Seconds since 2000-01-01, printed as the meter's wall clock. */
static void
test_regdecode__datetime(void)
{
	uint16_t	w[2] = { 0, 0 };

	T_EQ_STR(txt(REG_AVG_LAST_DATE, w), "2000-01-01 00:00:00");
	w[0] = 0x0001; w[1] = 0x517F;		/* 86399 */
	T_EQ_STR(txt(REG_AVG_LAST_DATE, w), "2000-01-01 23:59:59");
	w[0] = (uint16_t)(131374861 >> 16); w[1] = (uint16_t)131374861;
	T_EQ_STR(txt(REG_AVG_LAST_DATE, w), "2004-02-29 13:01:01");
	w[0] = (uint16_t)(820000000 >> 16); w[1] = (uint16_t)820000000;
	T_EQ_STR(txt(REG_LC_REC0_DATE, w), "2025-12-25 17:46:40");
	T_EQ_INT(dec(REG_LC_REC0_DATE, w).raw, 820000000);
	w[0] = 0xFFFF; w[1] = 0xFFFE;
	T_EQ_STR(txt(REG_AVG_LAST_DATE, w), "2136-02-07 06:28:14");
	w[1] = 0xFFFF;
	T_EQ_INT(dec(REG_AVG_LAST_DATE, w).valid, 0);
	T_EQ_STR(txt(REG_AVG_LAST_DATE, w), "");
	T_EQ_INT(reg_time2000_to_unix(0), 946684800);
	T_EQ_INT(reg_time2000_to_unix(820000000), 1766684800);
}

static void
test_regdecode__datetime_3_packed(void)
{
	uint16_t	w[3] = { 0x0102, 0x0304, 0x0506 };

	T_OK(dec(REG_COMBOARD_BUILD_DATE, w).u64 == 0x010203040506ULL);
	T_EQ_STR(txt(REG_COMBOARD_BUILD_DATE, w), "0x010203040506");
}

static void
test_regdecode__undecodable_types(void)
{
	uint16_t		w[112];
	struct reg_value	v;
	struct reg_def		bad;

	memset(w, 0, sizeof w);
	T_EQ_INT(reg_decode(regmap_get(REG_LC_RECORDS_1_28), w, &v), -1);
	T_EQ_INT(v.valid, 0);
	T_EQ_INT(reg_decode(regmap_get(REG_HOUR_METER), w, &v), -1);
	T_EQ_INT(reg_decode(NULL, w, &v), -1);
	T_EQ_INT(reg_decode(regmap_get(REG_V1), NULL, &v), -1);
	/* a row whose count disagrees with its type is refused */
	bad = *regmap_get(REG_V1);
	bad.count = 1;
	T_EQ_INT(reg_decode(&bad, w, &v), -1);
	v.valid = 1;
	T_EQ_INT(reg_format(regmap_get(REG_LC_RECORDS_1_28), &v, (char *)w,
	    sizeof w, '.'), -1);
}

static void
test_regdecode__fmt_fixed_examples(void)
{
	T_EQ_STR(fx(23107, -2, '.'), "231.07");
	T_EQ_STR(fx(23107, -2, ','), "231,07");
	T_EQ_STR(fx(-5, -2, '.'), "-0.05");
	T_EQ_STR(fx(-5, -2, ','), "-0,05");
	T_EQ_STR(fx(5, -3, '.'), "0.005");
	T_EQ_STR(fx(0, -2, '.'), "0.00");
	T_EQ_STR(fx(0, 0, '.'), "0");
	T_EQ_STR(fx(0, 1, '.'), "0");
	T_EQ_STR(fx(-1000, -3, '.'), "-1.000");
	T_EQ_STR(fx(12, 1, '.'), "120");
	T_EQ_STR(fx(-12, 3, '.'), "-12000");
	T_EQ_STR(fx(7, -1, '.'), "0.7");
	T_EQ_STR(fx(1, -30, '.'), "0.000000000000000000000000000001");
	T_EQ_STR(fx(1, 31, '.'), "<-1>");
	T_EQ_STR(fx(4294967295LL, -2, '.'), "42949672.95");
}

static void
test_regdecode__fmt_fixed_int64_extremes(void)
{
	T_EQ_STR(fx(INT64_MIN, 0, '.'), "-9223372036854775808");
	T_EQ_STR(fx(INT64_MIN, -2, '.'), "-92233720368547758.08");
	T_EQ_STR(fx(INT64_MIN, -19, '.'), "-0.9223372036854775808");
	T_EQ_STR(fx(INT64_MIN, -20, '.'), "-0.09223372036854775808");
	T_EQ_STR(fx(INT64_MIN, 2, '.'), "-922337203685477580800");
	T_EQ_STR(fx(INT64_MAX, 0, '.'), "9223372036854775807");
	T_EQ_STR(fx(INT64_MAX, -3, '.'), "9223372036854775.807");
}

/* Exactly `decimals`: truncated towards zero, or padded. */
static void
test_regdecode__fmt_fixed_dec(void)
{
	T_EQ_STR(fxd(23107, -2, 1), "231.0");
	T_EQ_STR(fxd(23199, -2, 1), "231.9");
	T_EQ_STR(fxd(23107, -2, 0), "231");
	T_EQ_STR(fxd(23107, -2, 4), "231.0700");
	T_EQ_STR(fxd(-23199, -2, 0), "-231");
	T_EQ_STR(fxd(-5, -2, 1), "0.0");	/* no negative zero */
	T_EQ_STR(fxd(-5, -2, 2), "-0.05");
	T_EQ_STR(fxd(5, 1, 2), "50.00");
	T_EQ_STR(fxd(1234, -2, 2), "12.34");	/* 10 W steps as kW */
	T_EQ_STR(fxd(-1234, -2, 3), "-12.340");
	T_EQ_STR(fxd(INT64_MIN, -18, 1), "-9.2");
	T_EQ_STR(fxd(1, 0, -1), "<-1>");
}

/* The return is the length; a buffer one byte short fails cleanly. */
static void
test_regdecode__fmt_fixed_buffer_size(void)
{
	char	buf[8];

	T_EQ_INT(fmt_fixed(buf, 7, 23107, -2, '.'), 6);
	T_EQ_STR(buf, "231.07");
	T_EQ_INT(fmt_fixed(buf, 6, 23107, -2, '.'), -1);
	T_EQ_INT(fmt_fixed(buf, 0, 1, 0, '.'), -1);
	T_EQ_INT(fmt_fixed(NULL, 8, 1, 0, '.'), -1);
	T_EQ_INT(fmt_fixed(buf, 2, -5, 0, '.'), -1);
	T_EQ_INT(fmt_fixed(buf, 3, -5, 0, '.'), 2);
	T_EQ_STR(buf, "-5");
}

/*
 * Every scale the map uses, on a row that carries it; and a check that the
 * map has no scale this test does not cover.
 */
static void
test_regdecode__every_scale_in_the_map(void)
{
	static const struct {
		enum reg_id	 id;
		uint16_t	 w[2];
		const char	*want;
	} cases[] = {
		{ REG_V1, { 0x0000, 0x5A43 }, "231.07" },	/* 0.01 V */
		{ REG_F, { 0x0000, 0x1388 }, "50.00" },	/* 0.01 Hz */
		{ REG_I1, { 0x0000, 0x0005 }, "0.005" },	/* 0.001 A */
		{ REG_I1, { 0x0001, 0x86A0 }, "100.000" },
		{ REG_P, { 0xFFFF, 0xFF85 }, "-1230" },	/* 10 W */
		{ REG_S, { 0x0000, 0x0001 }, "10" },		/* 10 VA */
		{ REG_PF, { 0xFFFF, 0xFC19 }, "-0.999" },	/* 0.001 */
		{ REG_EA_PLUS_TOTAL, { 0x0000, 0x0011 }, "17" }, /* 1 kWh */
		{ REG_EA_PLUS_TOTAL_10WH, { 0x0000, 0x0001 }, "0.01" },
		{ REG_JBUS_TABLE_VERSION, { 0x0065 }, "1.01" }, /* U16 */
		{ REG_TARIFF_ACTIVE, { 0x0004 }, "4" },	/* U8 1 */
		{ REG_LC_REC0_VALUE, { 0xFFFE }, "65534" },	/* num/den */
		{ REG_SET_TARIFF_RESERVED, { 0x0000 }, "0" },	/* "-" */
		{ REG_EA_PLUS_TOTAL_MWH, { 0x0002 }, "2" },	/* 1 MWh */
	};
	int	seen[8] = { 0 };	/* scale_exp + 3 covered */
	size_t	i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct reg_def *r = regmap_get(cases[i].id);
		T_EQ_STR(txt(cases[i].id, cases[i].w), cases[i].want);
		if (r->has_scale)
			seen[r->scale_exp + 3] = 1;
	}
	for (i = 0; i < regmap_e34_len; i++) {
		const struct reg_def *r = &regmap_e34[i];
		if (r->has_scale && (r->scale_exp < -3 || r->scale_exp > 4 ||
		    !seen[r->scale_exp + 3]))
			T_FAIL_("%s: scale 10^%d has no formatting case",
			    r->name, r->scale_exp);
	}
}

/* The decimal comma of the excel-eu dialect reaches reg_format. */
static void
test_regdecode__format_decimal_comma(void)
{
	uint16_t		w[2] = { 0x0000, 0x5A43 };
	struct reg_value	v;
	char			buf[16];

	T_EQ_INT(reg_decode(regmap_get(REG_V1), w, &v), 0);
	T_EQ_INT(reg_format(regmap_get(REG_V1), &v, buf, sizeof buf, ','), 6);
	T_EQ_STR(buf, "231,07");
	v.valid = 0;
	T_EQ_INT(reg_format(regmap_get(REG_V1), &v, buf, sizeof buf, ','), 0);
	T_EQ_STR(buf, "");
	v.valid = 1;
	T_EQ_INT(reg_format(regmap_get(REG_V1), &v, buf, 6, ','), -1);
}

int
main(void)
{
	T_RUN(test_regdecode__u8_low_byte);
	T_RUN(test_regdecode__u16_bounds_and_sentinel);
	T_RUN(test_regdecode__s16_sign_and_sentinel);
	T_RUN(test_regdecode__u32_high_word_first);
	T_RUN(test_regdecode__s32_negative_and_sentinel);
	T_RUN(test_regdecode__u64_hex);
	T_RUN(test_regdecode__hex_16_and_8);
	T_RUN(test_regdecode__ascii16_soco);
	T_RUN(test_regdecode__ascii_trim);
	T_RUN(test_regdecode__datetime);
	T_RUN(test_regdecode__datetime_3_packed);
	T_RUN(test_regdecode__undecodable_types);
	T_RUN(test_regdecode__fmt_fixed_examples);
	T_RUN(test_regdecode__fmt_fixed_int64_extremes);
	T_RUN(test_regdecode__fmt_fixed_dec);
	T_RUN(test_regdecode__fmt_fixed_buffer_size);
	T_RUN(test_regdecode__every_scale_in_the_map);
	T_RUN(test_regdecode__format_decimal_comma);
	return t_done();
}
