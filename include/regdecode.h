/*
 * regdecode.h: turn raw register words into values and values into exact text.
 *
 * Decoding is driven by the register map: one function per type, never per
 * register. Fixed-point values are printed with integer arithmetic: raw
 * 23107 with scale_exp -2 prints "231.07", never 231.0699997.
 */
#ifndef REGDECODE_H
#define REGDECODE_H

#include <stddef.h>
#include <stdint.h>

#include "regmap.h"

struct reg_value {
	int		 valid;		/* 0: "not available" sentinel or not read */
	int64_t		 raw;		/* integer types, DATETIME seconds */
	uint64_t	 u64;		/* U64_HEX, DATETIME_3 packed */
	char		 str[24];	/* ASCII types, trimmed; "" otherwise */
};

/*
 * Decode def->count words (high word first) into v. Sentinels 0xFFFF,
 * 0xFFFFFFFF (unsigned) and 0x7FFF, 0x7FFFFFFF (signed) give valid = 0.
 * Returns 0, or -1 when the type cannot be decoded (REG_T_NONE, RECORDS).
 */
int	reg_decode(const struct reg_def *def, const uint16_t *words,
	    struct reg_value *v);

/*
 * Print raw * 10^exp10 exactly into buf, with max(0, -exp10) decimals and
 * dec_sep ('.' or ',') as the decimal separator. Returns the length, or -1
 * if buf is too small. fmt_fixed(b, n, -5, -2, '.') gives "-0.05".
 */
int	fmt_fixed(char *buf, size_t len, int64_t raw, int exp10, char dec_sep);

/*
 * Same, but with exactly `decimals` decimals (truncated towards zero when
 * fewer than the scale carries, zero-padded when more).
 */
int	fmt_fixed_dec(char *buf, size_t len, int64_t raw, int exp10,
	    int decimals, char dec_sep);

/*
 * The engineering value of v as text, in the row's unit and scale ("231.07",
 * "SOCOMEC", "0x1A2B", "2026-11-25 07:30:00"); "" when !v->valid.
 * Returns the length or -1.
 */
int	reg_format(const struct reg_def *def, const struct reg_value *v,
	    char *buf, size_t len, char dec_sep);

/* Seconds since 2000-01-01 00:00:00 to a Unix time (same wall clock). */
int64_t	reg_time2000_to_unix(int64_t s2000);

#endif
