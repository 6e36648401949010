/*
 * regdecode.c: raw register words to values, values to exact text.
 *
 * One decoder per register type (never per register), driven by the row of
 * the register map. Text is produced with integer arithmetic only: there is
 * no float anywhere in this file, so "231.07" never becomes 231.0699997.
 * What to read and when is the engine's business; where the text goes (CSV,
 * screen) is the caller's.
 *
 * Sentinels ("not available", S3's FF/7F markers): 0xFFFF for U16, 0x7FFF
 * for S16, 0xFFFFFFFF for U32 and DATETIME, 0x7FFFFFFF for S32. U8 is the
 * low byte of a full register, so its marker is the whole register reading
 * 0xFFFF; 0x00FF is the value 255. Hex types (U8_HEX, U16_HEX, U64_HEX,
 * DATETIME_3) are bit patterns where all-ones is meaningful (0xFFFF = "all
 * tariffs" in a reset mask), so they carry no sentinel.
 */
#include <stdio.h>
#include <string.h>

#include "regdecode.h"

#define FMT_MAX_DIGITS	64	/* digits of |raw| and zeros from exp10 */
#define FMT_MAX_EXP	30	/* |exp10| and decimals accepted */

/* The number of words a type needs; 0 when the row's count decides. */
static int
reg_type_words(enum reg_type t)
{
	switch (t) {
	case REG_T_U8:
	case REG_T_U8_HEX:
	case REG_T_U16:
	case REG_T_U16_HEX:
	case REG_T_S16:
		return 1;
	case REG_T_U32:
	case REG_T_S32:
	case REG_T_DATETIME:
		return 2;
	case REG_T_DATETIME_3:
		return 3;
	case REG_T_U64_HEX:
		return 4;
	default:
		return 0;
	}
}

/*
 * Characters of a string register into v->str: NULs are padding like
 * spaces, both ends are trimmed, anything unprintable becomes '?' so a
 * device can never put control bytes on the screen or into a CSV. The
 * first four words also go into v->u64 (0x0053004F0043004F for "SOCO").
 */
static void
reg_decode_string(const struct reg_def *def, const uint16_t *w,
    struct reg_value *v)
{
	char	tmp[2 * 128 + 1];
	size_t	n, i, start;
	int	k;
	unsigned char c;

	n = 0;
	for (k = 0; k < def->count && k < 128; k++) {
		if (k < 4)
			v->u64 = (v->u64 << 16) | w[k];
		if (def->type == REG_T_ASCII)
			tmp[n++] = (char)(w[k] >> 8);
		tmp[n++] = (char)(w[k] & 0xFF);
	}
	for (i = 0; i < n; i++) {
		c = (unsigned char)tmp[i];
		if (c == '\0')
			tmp[i] = ' ';
		else if (c < 0x20 || c >= 0x7F)
			tmp[i] = '?';
	}
	while (n > 0 && tmp[n - 1] == ' ')
		n--;
	for (start = 0; start < n && tmp[start] == ' '; start++)
		;
	n -= start;
	if (n > sizeof v->str - 1)
		n = sizeof v->str - 1;
	memcpy(v->str, tmp + start, n);
	v->str[n] = '\0';
}

int
reg_decode(const struct reg_def *def, const uint16_t *w, struct reg_value *v)
{
	uint32_t	u32;
	int		need;

	memset(v, 0, sizeof *v);
	if (def == NULL || w == NULL)
		return -1;
	need = reg_type_words(def->type);
	if (need != 0 && def->count != need)
		return -1;
	v->valid = 1;
	switch (def->type) {
	case REG_T_U8:
		v->raw = w[0] & 0xFF;
		v->valid = w[0] != 0xFFFF;
		break;
	case REG_T_U8_HEX:
		v->raw = w[0] & 0xFF;
		v->u64 = (uint64_t)v->raw;
		break;
	case REG_T_U16:
		v->raw = w[0];
		v->valid = w[0] != 0xFFFF;
		break;
	case REG_T_U16_HEX:
		v->raw = w[0];
		v->u64 = w[0];
		break;
	case REG_T_S16:
		v->raw = (int16_t)w[0];
		v->valid = w[0] != 0x7FFF;
		break;
	case REG_T_U32:
	case REG_T_DATETIME:
		u32 = (uint32_t)w[0] << 16 | w[1];
		v->raw = u32;
		v->valid = u32 != 0xFFFFFFFFU;
		break;
	case REG_T_S32:
		u32 = (uint32_t)w[0] << 16 | w[1];
		v->raw = (int32_t)u32;
		v->valid = u32 != 0x7FFFFFFFU;
		break;
	case REG_T_U64_HEX:
		v->u64 = (uint64_t)w[0] << 48 | (uint64_t)w[1] << 32 |
		    (uint64_t)w[2] << 16 | w[3];
		break;
	case REG_T_DATETIME_3:
		v->u64 = (uint64_t)w[0] << 32 | (uint64_t)w[1] << 16 | w[2];
		break;
	case REG_T_ASCII16:
	case REG_T_ASCII:
		if (def->count <= 0)
			goto fail;
		reg_decode_string(def, w, v);
		break;
	default:
		goto fail;
	}
	return 0;
fail:
	memset(v, 0, sizeof *v);
	return -1;
}

/* Copy s (n bytes) into buf; -1 when it does not fit with its NUL. */
static int
fmt_put(char *buf, size_t len, const char *s, size_t n)
{
	if (buf == NULL || n + 1 > len)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return (int)n;
}

/*
 * Work on the decimal digits of |raw| as text: scaling by 10^exp10 moves the
 * decimal point, so no multiplication can overflow and INT64_MIN is as easy
 * as any other value. A value whose printed digits are all zero loses its
 * sign ("-0.05" to 1 decimal is "0.0", not "-0.0").
 */
int
fmt_fixed_dec(char *buf, size_t len, int64_t raw, int exp10, int decimals,
    char dec_sep)
{
	char		 dig[FMT_MAX_DIGITS], out[FMT_MAX_DIGITS * 2 + 4];
	uint64_t	 mag;
	size_t		 nd, o, nint, i;
	int		 frac, allzero;

	if (exp10 > FMT_MAX_EXP || exp10 < -FMT_MAX_EXP || decimals < 0 ||
	    decimals > FMT_MAX_EXP)
		return -1;
	mag = raw < 0 ? -(uint64_t)raw : (uint64_t)raw;
	nd = 0;
	do {			/* least significant digit first */
		dig[nd++] = (char)('0' + mag % 10);
		mag /= 10;
	} while (mag != 0);
	for (i = 0; i < nd / 2; i++) {
		char t = dig[i];
		dig[i] = dig[nd - 1 - i];
		dig[nd - 1 - i] = t;
	}
	if (exp10 > 0 && raw != 0) {	/* 12 * 10^3: "12000", 0: "0" */
		memset(dig + nd, '0', (size_t)exp10);
		nd += (size_t)exp10;
	}
	frac = exp10 < 0 ? -exp10 : 0;	/* digits after the point */
	if ((size_t)frac >= nd) {	/* 5 * 10^-2: "005" */
		memmove(dig + (frac + 1 - nd), dig, nd);
		memset(dig, '0', frac + 1 - nd);
		nd = (size_t)frac + 1;
	}
	nint = nd - (size_t)frac;
	o = 1;			/* out[0] is kept for the sign */
	memcpy(out + o, dig, nint);
	o += nint;
	if (decimals > 0) {
		out[o++] = dec_sep;
		for (i = 0; i < (size_t)decimals; i++)
			out[o++] = (int)i < frac ? dig[nint + i] : '0';
	}
	allzero = 1;
	for (i = 1; i < o; i++) {
		if (out[i] >= '1' && out[i] <= '9')
			allzero = 0;
	}
	if (raw < 0 && !allzero) {
		out[0] = '-';
		return fmt_put(buf, len, out, o);
	}
	return fmt_put(buf, len, out + 1, o - 1);
}

int
fmt_fixed(char *buf, size_t len, int64_t raw, int exp10, char dec_sep)
{
	return fmt_fixed_dec(buf, len, raw, exp10, exp10 < 0 ? -exp10 : 0,
	    dec_sep);
}

int64_t
reg_time2000_to_unix(int64_t s2000)
{
	return s2000 + 946684800;	/* 2000-01-01T00:00:00 in Unix time */
}

/*
 * Days since 1970-01-01 to a proleptic Gregorian date (the era algorithm:
 * 400-year eras of 146097 days). Integer only and independent of TZ: the
 * meter's clock is local wall time and is printed as such.
 */
static void
reg_civil(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t		era, z;
	unsigned	doe, yoe, doy, mp;

	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* Seconds since 2000 (meter local time) as "YYYY-MM-DD HH:MM:SS". */
static int
reg_format_time(int64_t s2000, char *buf, size_t len)
{
	int64_t	t, days, secs, y;
	int	m, d, n;

	t = reg_time2000_to_unix(s2000);
	days = t / 86400;
	secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	reg_civil(days, &y, &m, &d);
	n = snprintf(buf, len, "%04lld-%02d-%02d %02d:%02d:%02d", (long long)y,
	    m, d, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
	return n < 0 || (size_t)n >= len ? -1 : n;
}

/* Hex spelled with as many digits as the register words hold. */
static int
reg_format_hex(uint64_t u, int digits, char *buf, size_t len)
{
	int	n;

	n = snprintf(buf, len, "0x%0*llX", digits, (unsigned long long)u);
	return n < 0 || (size_t)n >= len ? -1 : n;
}

int
reg_format(const struct reg_def *def, const struct reg_value *v, char *buf,
    size_t len, char dec_sep)
{
	if (def == NULL || v == NULL || buf == NULL || len == 0)
		return -1;
	if (!v->valid)
		return fmt_put(buf, len, "", 0);
	switch (def->type) {
	case REG_T_U8:
	case REG_T_U16:
	case REG_T_S16:
	case REG_T_U32:
	case REG_T_S32:
		return fmt_fixed(buf, len, v->raw,
		    def->has_scale ? def->scale_exp : 0, dec_sep);
	case REG_T_U8_HEX:
		return reg_format_hex(v->u64, 2, buf, len);
	case REG_T_U16_HEX:
		return reg_format_hex(v->u64, 4, buf, len);
	case REG_T_DATETIME_3:
		return reg_format_hex(v->u64, 12, buf, len);
	case REG_T_U64_HEX:
		return reg_format_hex(v->u64, 16, buf, len);
	case REG_T_ASCII16:
	case REG_T_ASCII:
		return fmt_put(buf, len, v->str, strlen(v->str));
	case REG_T_DATETIME:
		return reg_format_time(v->raw, buf, len);
	default:
		return -1;
	}
}
